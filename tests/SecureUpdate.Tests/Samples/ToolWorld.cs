using SecureUpdate.Tests.Infrastructure;
using SecureUpdate.Tests.SingleFile;

namespace SecureUpdate.Tests.Samples;

/// <summary>
/// One ToolWithUpdateCheck test's world: a <see cref="SampleFeed"/> and the tool installed as one file with
/// <c>secure-update apply --target-file</c> in a folder only its owner can write (single-file targets require it).
/// </summary>
internal sealed class ToolWorld : IAsyncDisposable
{
    public const string App = "tool-with-update-check";

    private ToolWorld(TempFolder temp, SampleFeed feed)
    {
        Temp = temp;
        Feed = feed;
    }

    public TempFolder Temp { get; }

    public SampleFeed Feed { get; }

    /// <summary>The installed executable.</summary>
    public string Tool => Temp.Combine("bin", "tool");

    public static async Task<ToolWorld> CreateAsync()
    {
        var temp = new TempFolder();
        try
        {
            SingleFileTemplate.CreateOwnerOnlyFolder(temp.Path);
            SingleFileTemplate.CreateOwnerOnlyFolder(temp.Combine("bin"));
            return new ToolWorld(temp, await SampleFeed.CreateAsync(temp));
        }
        catch
        {
            temp.Dispose();
            throw;
        }
    }

    /// <summary>Releases the published tool <paramref name="version"/> (its folder holds just the one file).</summary>
    public async Task ReleaseAsync(string version, Action<SampleFeed>? tamper = null) =>
        await Feed.ReleaseAsync(App, version, Path.GetDirectoryName(await SampleBuilds.ToolAsync(version))!, tamper);

    /// <summary>Installs the channel's release as <see cref="Tool"/>.</summary>
    public async Task InstallAsync() =>
        (await CliRunner.RunAsync("apply", "--feed", Feed.Url, "--trust", Feed.TrustFile, "--target-file", Tool, "--app", App, "--json")).ShouldExitWith(0);

    /// <summary>Runs the installed tool. Its native crypto library is extracted under the test's folder, not the home folder.</summary>
    public Task<CliResult> RunAsync(params string[] arguments)
    {
        var environment = new Dictionary<string, string> { ["DOTNET_BUNDLE_EXTRACT_BASE_DIR"] = Temp.Combine("extract") };
        if (DotnetRoot() is { } root)
        {
            environment["DOTNET_ROOT"] = root;
        }

        return ProgramRunner.RunAsync([Tool, .. arguments], environment);
    }

    /// <summary>The .NET installation the tests run on: a framework-dependent executable finds its runtime there.</summary>
    private static string? DotnetRoot()
    {
        var host = CliRunner.DotnetHost();
        return Path.IsPathRooted(host)
            ? Path.GetDirectoryName(new FileInfo(host).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? host)
            : null;
    }

    public async ValueTask DisposeAsync()
    {
        await Feed.DisposeAsync();
        Temp.Dispose();
    }
}
