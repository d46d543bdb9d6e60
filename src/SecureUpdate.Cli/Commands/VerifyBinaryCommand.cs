using System.CommandLine;
using System.IO.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using SecureUpdate.Trust;

namespace SecureUpdate.Cli.Commands;

/// <summary>Behaviour of <c>verify-binary</c>: reads only, never changes the file.</summary>
internal static class VerifyBinaryCommand
{
    public static int Run(ParseResult parseResult)
    {
        var output = CommonOptions.Output(parseResult);
        try
        {
            using var services = CliServices.Create();
            var fileSystem = services.GetRequiredService<IFileSystem>();
            var trust = TrustRoot.Load(fileSystem, parseResult.GetValue(VerifyBinaryCommandDefinition.Trust)!);
            var result = BinarySignature.Verify(fileSystem, parseResult.GetValue(VerifyBinaryCommandDefinition.File)!, trust);
            return output.Success(
                new CommandOutput { Command = "verify-binary", Outcome = "verified", File = result.File, KeyIds = result.KeyIds, PayloadBytes = result.PayloadBytes },
                $"Verified {result.File}: its first {Counted.Of(result.PayloadBytes, "byte")} are signed by {Counted.Of(result.KeyIds.Count, "trusted key")} ({string.Join(", ", result.KeyIds)}), meeting the threshold of {trust.ReleaseRole.Threshold}.");
        }
        catch (Exception ex)
        {
            return output.Failure("verify-binary", ex);
        }
    }
}
