using System.CommandLine;
using System.IO.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using SecureUpdate.Trust;

namespace SecureUpdate.Cli.Commands;

/// <summary>Behaviour of <c>run</c>: on success this process becomes the program, so its exit code is the program's.</summary>
internal static class RunCommand
{
    public static int Run(ParseResult parseResult)
    {
        var output = CommonOptions.Output(parseResult);
        try
        {
            TrustRoot trust;
            using (var services = CliServices.Create())
            {
                trust = TrustRoot.Load(services.GetRequiredService<IFileSystem>(), parseResult.GetValue(RunCommandDefinition.Trust)!);
            }

            Console.Out.Flush();
            Console.Error.Flush();
            var mode = parseResult.GetValue(RunCommandDefinition.InMemory) ? VerifiedLaunchMode.InMemory : VerifiedLaunchMode.Descriptor;
            VerifiedLaunch.Execute(parseResult.GetValue(RunCommandDefinition.File)!, trust, parseResult.GetValue(RunCommandDefinition.Arguments) ?? [], mode);
            return 1; // Unreachable: Execute either replaces this process or throws.
        }
        catch (Exception ex)
        {
            return output.Failure("run", ex);
        }
    }
}
