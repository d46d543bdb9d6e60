using System.Runtime.Versioning;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Agent;

/// <summary>
/// <see cref="UpdateClient.CheckForUpdateAsync"/> (the agent's check) compares by SemVer precedence: another build of
/// the installed version, or a rebuild of a rolled-back one, is not offered as an update.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class BuildMetadataCheckTests : IDisposable
{
    private readonly ReleaseWorkspace _workspace = new();

    public BuildMetadataCheckTests()
    {
        _workspace.WriteInput("bin/demo", "#!/bin/sh\necho demo\n", executable: true);
    }

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task Check_AnotherBuildOfTheInstalledVersion_ReturnsNoUpdate()
    {
        await PublishAsync("1.1.0+a");
        (await _workspace.ApplyAsync()).Outcome.Should().Be(ApplyOutcome.Installed);
        await RepublishAsync("1.1.0+a", "1.1.0+b");

        var check = await CheckAsync();

        check.Outcome.Should().Be(UpdateCheckOutcome.NoUpdate, "1.1.0+b has the precedence of the installed 1.1.0+a");
        check.CurrentVersion.Should().Be("1.1.0+a");
    }

    [Fact]
    public async Task Check_RebuildOfARolledBackVersion_ReturnsNoUpdate()
    {
        await PublishAsync("1.0.0");
        (await _workspace.ApplyAsync()).Outcome.Should().Be(ApplyOutcome.Installed);
        await PublishAsync("1.2.0");
        (await _workspace.ApplyAsync()).Outcome.Should().Be(ApplyOutcome.Updated);
        (await _workspace.Client.RollbackAsync(_workspace.Folder, _workspace.Trust)).Version.Should().Be("1.0.0");
        await RepublishAsync("1.2.0", "1.2.0+rebuild");

        var check = await CheckAsync();

        check.Outcome.Should().Be(UpdateCheckOutcome.NoUpdate, "a rebuild of the rejected 1.2.0 is rejected too");
        check.Version.Should().Be("1.2.0+rebuild");
    }

    private Task<UpdateCheck> CheckAsync() =>
        _workspace.Client.CheckForUpdateAsync(new UpdateCheckRequest { Feed = _workspace.Feed, Trust = _workspace.Trust, Target = _workspace.Folder });

    private async Task PublishAsync(string version)
    {
        _workspace.WriteInput("README.txt", $"Demo {version}\n");
        await _workspace.PublishAsync(version);
    }

    // The publisher itself refuses a release of equal precedence; the feed here forgets the earlier build first.
    private async Task RepublishAsync(string earlier, string version)
    {
        foreach (var file in Directory.EnumerateFiles(Path.Combine(_workspace.Feed, "demo", "stable", "manifests"), earlier + ".json*"))
        {
            File.Delete(file);
        }

        await PublishAsync(version);
    }
}
