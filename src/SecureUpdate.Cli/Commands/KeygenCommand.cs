using System.CommandLine;
using System.IO.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using SecureUpdate.Errors;
using SecureUpdate.Publishing;

namespace SecureUpdate.Cli.Commands;

/// <summary>Behaviour of <c>keygen</c>.</summary>
internal static class KeygenCommand
{
    public static int Run(ParseResult parseResult)
    {
        var output = CommonOptions.Output(parseResult);
        try
        {
            var folder = parseResult.GetValue(KeygenCommandDefinition.Out)!;
            var name = parseResult.GetValue(KeygenCommandDefinition.Name)!;
            var encrypt = parseResult.GetValue(KeygenCommandDefinition.Encrypt);
            using var services = CliServices.Create();
            LocalFolders.RequireNotAFile(services.GetRequiredService<IFileSystem>(), "--out", folder);
            if (Pkcs11KeygenOptions.Read(parseResult) is { } request)
            {
                return GenerateInToken(output, services, folder, name, request);
            }

            var generator = services.GetRequiredService<KeyGenerator>();
            var privatePath = Path.Combine(folder, name + ".key");
            var publicPath = Path.Combine(folder, name + ".pub");
            var keyId = encrypt
                ? generator.GenerateEncrypted(folder, name, services.GetRequiredService<TerminalPassphraseProvider>().GetNewPassphrase)
                : generator.Generate(folder, name);
            return output.Success(
                new CommandOutput { Command = "keygen", Outcome = "created", KeyId = keyId, PrivateKeyFile = privatePath, PublicKeyFile = publicPath },
                $"Created key {keyId}",
                encrypt
                    ? $"  private: {privatePath} (encrypted with the passphrase, owner-only; keep both safe, never commit it)"
                    : $"  private: {privatePath} (owner-only; keep it offline, never commit it)",
                $"  public:  {publicPath} (pin it with --trust)");
        }
        catch (ConfigurationException ex) when (ex.Path == parseResult.GetValue(KeygenCommandDefinition.Out) && ex.InnerException is IOException or UnauthorizedAccessException)
        {
            // The folder itself could not be made: say so, not the raw I/O message.
            return output.Failure("keygen", Error.FolderUncreatable(ex.Path!, ex.InnerException!));
        }
        catch (Exception ex)
        {
            return output.Failure("keygen", ex);
        }
    }

    private static int GenerateInToken(CliOutput output, IServiceProvider services, string folder, string name, Pkcs11KeyRequest request)
    {
        var keyId = services.GetRequiredService<Pkcs11KeyGenerator>().Generate(folder, name, request);
        var referencePath = Path.Combine(folder, name + ".key");
        var publicPath = Path.Combine(folder, name + ".pub");
        return output.Success(
            new CommandOutput { Command = "keygen", Outcome = "created", KeyId = keyId, PrivateKeyFile = referencePath, PublicKeyFile = publicPath },
            $"Created key {keyId} in token '{request.TokenLabel}' (label '{request.KeyLabel ?? name}'); the private key never leaves the token",
            $"  reference: {referencePath} (names the key; pass it to --key, with the PIN in ${request.PinVariable})",
            $"  public:    {publicPath} (pin it with --trust)");
    }
}
