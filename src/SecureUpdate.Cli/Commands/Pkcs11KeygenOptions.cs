using System.CommandLine;
using SecureUpdate.Publishing;

namespace SecureUpdate.Cli.Commands;

/// <summary>
/// <c>keygen --pkcs11-module LIB --token-label LABEL [--key-label NAME] [--pin-env VAR]</c>: the key is made
/// inside an HSM and <c>NAME.key</c> is a reference to it. The PIN is never a flag: it is read from the
/// environment variable <c>--pin-env</c> names.
/// </summary>
internal static class Pkcs11KeygenOptions
{
    public static readonly Option<string?> Module = new("--pkcs11-module") { Description = "Generate the key inside an HSM: the PKCS#11 module (shared library) to load. NAME.key is then a reference to the key, with no key material." };

    public static readonly Option<string?> TokenLabel = new("--token-label") { Description = "With --pkcs11-module: the label of the token to generate the key in." };

    public static readonly Option<string?> KeyLabel = new("--key-label") { Description = "With --pkcs11-module: the key pair's label in the token (default: --name); must not be in use there." };

    public static readonly Option<string> PinEnv = new("--pin-env")
    {
        Description = "With --pkcs11-module: the environment variable that holds the token's user PIN; NAME.key records its name, and every signing reads it again.",
        DefaultValueFactory = _ => Pkcs11KeyRequest.DefaultPinVariable,
    };

    /// <summary>Adds the options, and the validator that ties them to <c>--pkcs11-module</c>.</summary>
    public static void AddTo(Command command)
    {
        command.Options.Add(Module);
        command.Options.Add(TokenLabel);
        command.Options.Add(KeyLabel);
        command.Options.Add(PinEnv);
        command.Validators.Add(result =>
        {
            var inToken = result.GetResult(Module) is not null;
            var tokenFlags = result.GetResult(TokenLabel) is not null || result.GetResult(KeyLabel) is not null || result.GetResult(PinEnv) is { Implicit: false };
            if (!inToken && tokenFlags)
            {
                result.AddError("--token-label, --key-label and --pin-env apply only with --pkcs11-module LIB.");
            }
            else if (inToken && result.GetResult(TokenLabel) is null)
            {
                result.AddError("--pkcs11-module needs --token-label LABEL.");
            }
        });
    }

    /// <summary>The request the validated command line names, or null for a key file.</summary>
    public static Pkcs11KeyRequest? Read(ParseResult parseResult) =>
        parseResult.GetValue(Module) is { } module
            ? new Pkcs11KeyRequest
            {
                Module = module,
                TokenLabel = parseResult.GetValue(TokenLabel)!,
                KeyLabel = parseResult.GetValue(KeyLabel),
                PinVariable = parseResult.GetValue(PinEnv)!,
            }
            : null;
}
