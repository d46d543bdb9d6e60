using System.IO.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using SecureUpdate;
using SecureUpdate.Errors;
using SecureUpdate.Trust;

namespace ToolWithUpdateCheck;

/// <summary>The tool's commands.</summary>
internal static class ToolCommands
{
    /// <summary>The app id this tool is released under.</summary>
    public const string DefaultApp = "tool-with-update-check";

    private const string Usage = "usage: tool --version\n       tool self-update --feed URL --trust FILE [--app ID]";

    public static int PrintVersion()
    {
        Console.WriteLine(ToolVersion.Current);
        return 0;
    }

    public static int PrintUsage()
    {
        Console.Error.WriteLine(Usage);
        return 2;
    }

    /// <summary>Checks the feed and, when a newer signed release is there, replaces this executable with it.</summary>
    public static async Task<int> SelfUpdateAsync(IReadOnlyList<string> args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Count && args[i] is "--feed" or "--trust" or "--app"; i += 2)
        {
            options[args[i]] = args[i + 1];
        }

        if (options.Count * 2 != args.Count || !options.TryGetValue("--feed", out var feed) || !options.TryGetValue("--trust", out var trustFile))
        {
            return PrintUsage();
        }

        // The file to replace is the running executable itself; under `dotnet tool.dll` that would be the dotnet host.
        var executable = Environment.ProcessPath;
        if (executable is null || Path.GetFileNameWithoutExtension(executable) == "dotnet")
        {
            Console.Error.WriteLine("tool: self-update needs the published single-file executable (dotnet publish -r RID).");
            return 2;
        }

        var app = options.GetValueOrDefault("--app", DefaultApp);
        using var services = new ServiceCollection().AddSecureUpdate().BuildServiceProvider();
        var client = services.GetRequiredService<UpdateClient>();
        try
        {
            var trust = TrustRoot.Load(services.GetRequiredService<IFileSystem>(), trustFile);

            // The app id covers a tool copied into place by hand (no state beside it yet); the
            // running version is compared too, since such a tool has no recorded current version.
            var check = await client.CheckForUpdateAsync(new UpdateCheckRequest { Feed = feed, Trust = trust, Target = Target.File(executable), App = app });
            if (check.Outcome != UpdateCheckOutcome.Available || check.Version == ToolVersion.Current)
            {
                Console.WriteLine($"tool {ToolVersion.Current} is up to date.");
                return 0;
            }

            Console.WriteLine($"tool {ToolVersion.Current}: {check.Version} is available; updating {executable}");
            var result = await client.ApplyAsync(new ApplyRequest { Feed = feed, Trust = trust, Target = Target.File(executable), App = app });
            Console.WriteLine(result.Outcome switch
            {
                ApplyOutcome.Updated or ApplyOutcome.Installed => $"tool updated from {result.PreviousVersion ?? ToolVersion.Current} to {result.Version}.",
                _ => $"tool {ToolVersion.Current} is up to date ({result.Outcome}).",
            });
            return 0;
        }
        catch (SecureUpdateException ex)
        {
            // Refused or failed: the file is exactly as it was.
            Console.Error.WriteLine($"tool: self-update failed ({ErrorCodeNames.ToName(ex.Code)}): {ex.Message}");
            return ex switch
            {
                ConfigurationException => 2,
                VerificationException => 3,
                TransportException => 4,
                TargetLockedException => 6,
                _ => 1,
            };
        }
    }
}
