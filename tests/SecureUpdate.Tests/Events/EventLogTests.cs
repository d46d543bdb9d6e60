using System.Runtime.Versioning;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Events;

[UnsupportedOSPlatform("windows")]
public sealed class EventLogTests : IDisposable
{
    private readonly ReleaseWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task ReadEvents_AfterInstallUpdateAndRollback_ListsThemInOrderWithAnIntactChain()
    {
        await InstallUpdateAndRollBackAsync();

        var log = _workspace.Client.ReadEvents(_workspace.Folder);
        var broken = log.Broken;
        var events = log.Events;

        broken.Should().BeNull();
        events.Select(e => (e.Name, e.Version)).Should().Equal(("installed", "1.0.0"), ("installed", "1.1.0"), ("rolled-back", "1.0.0"));
        events.Should().OnlyContain(e => e.FallbackMode == "none");
    }

    [Fact]
    public async Task ReadEvents_LineEdited_ReportsTheBrokenLine()
    {
        await InstallUpdateAndRollBackAsync();
        var lines = File.ReadAllLines(LogPath);
        lines[1] = lines[1].Replace("1.1.0", "1.1.1", StringComparison.Ordinal);
        File.WriteAllLines(LogPath, lines);

        var broken = _workspace.Client.ReadEvents(_workspace.Folder).Broken;

        broken.Should().Contain("line 3");
    }

    [Fact]
    public async Task ReadEvents_LinesReordered_IsBroken()
    {
        await InstallUpdateAndRollBackAsync();
        var lines = File.ReadAllLines(LogPath);
        File.WriteAllLines(LogPath, [lines[1], lines[0], lines[2]]);

        var broken = _workspace.Client.ReadEvents(_workspace.Folder).Broken;

        broken.Should().Contain("line 1");
    }

    [Fact]
    public async Task ReadEvents_FirstLineRemoved_IsBroken()
    {
        await InstallUpdateAndRollBackAsync();
        File.WriteAllLines(LogPath, File.ReadAllLines(LogPath).Skip(1));

        var broken = _workspace.Client.ReadEvents(_workspace.Folder).Broken;

        broken.Should().NotBeNull();
    }

    [Fact]
    public async Task ReadEvents_NewestLineCut_IsCaughtByTheHead()
    {
        await InstallUpdateAndRollBackAsync();
        var lines = File.ReadAllLines(LogPath);
        File.WriteAllLines(LogPath, lines.Take(2));

        var broken = _workspace.Client.ReadEvents(_workspace.Folder).Broken;

        broken.Should().Contain("newest lines were cut");
    }

    [Fact]
    public async Task ReadEvents_HeadDeleted_IsBroken()
    {
        await InstallUpdateAndRollBackAsync();
        File.Delete(Path.Combine(_workspace.Target, ".secure-update", "events.head"));

        var broken = _workspace.Client.ReadEvents(_workspace.Folder).Broken;

        broken.Should().Contain("events.head");
    }

    [Fact]
    public async Task ReadEvents_LogTruncatedToNothing_IsBroken()
    {
        await InstallUpdateAndRollBackAsync();
        File.WriteAllText(LogPath, "");

        var broken = _workspace.Client.ReadEvents(_workspace.Folder).Broken;

        broken.Should().NotBeNull();
    }

    private string LogPath => Path.Combine(_workspace.Target, ".secure-update", "events.log");

    private async Task InstallUpdateAndRollBackAsync()
    {
        _workspace.WriteInput("app.txt", "one");
        await _workspace.PublishAsync("1.0.0");
        await _workspace.Client.ApplyAsync(new ApplyRequest { Feed = _workspace.Feed, Trust = _workspace.Trust, Target = _workspace.Folder, App = ReleaseWorkspace.App });
        _workspace.WriteInput("app.txt", "two");
        await _workspace.PublishAsync("1.1.0");
        await _workspace.Client.ApplyAsync(new ApplyRequest { Feed = _workspace.Feed, Trust = _workspace.Trust, Target = _workspace.Folder });
        await _workspace.Client.RollbackAsync(_workspace.Folder);
    }
}
