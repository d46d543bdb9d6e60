using SecureUpdate.Cli;
using SecureUpdate.Cli.Native;

// Before anything can touch NSec: the published executable carries its own libsodium.
EmbeddedSodium.Register();
return await CliApplication.RunAsync(args);
