using SecureUpdate.Cli;

return await CliApplication.RunAsync(args);
