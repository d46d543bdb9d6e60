using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.EndToEnd;

/// <summary>
/// A target reached through a symlink (a folder target whose path is a link, or a single file in a linked folder
/// such as <c>/bin</c> → <c>usr/bin</c>) is refused by every command (exit 2, nothing created), and the message names the real path
/// to give instead.
/// </summary>
public sealed class SymlinkedTargetPathTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("status")]
    [InlineData("events")]
    [InlineData("rollback")]
    public async Task FolderTargetPathIsASymlink_RefusedNamingTheRealPath(string command)
    {
        var real = _temp.CreateFolder("real");
        var link = _temp.Combine("link");
        Directory.CreateSymbolicLink(link, real);
        var before = TargetSnapshot.Capture(real);

        var result = await CliRunner.RunAsync(command, "--target", link);

        result.ShouldExitWith(2).ShouldReportFailureClearly();
        result.Stderr.Should().Contain($"'{link}' is a symbolic link to '{real}'; give that real path instead");
        before.ShouldBeUnchanged("a refused target is never touched");
    }

    [Theory]
    [InlineData("status")]
    [InlineData("rollback")]
    public async Task SingleFileInASymlinkedFolder_RefusedNamingTheRealFolderAndNothingCreated(string command)
    {
        var real = _temp.CreateFolder("usr-bin");
        var link = _temp.Combine("bin");
        Directory.CreateSymbolicLink(link, "usr-bin");
        var before = TargetSnapshot.Capture(real);

        var result = await CliRunner.RunAsync(command, "--target-file", Path.Combine(link, "tool"));

        result.ShouldExitWith(2).ShouldReportFailureClearly();
        result.Stderr.Should().Contain($"is a symbolic link to '{real}'; give that real path instead");
        before.ShouldBeUnchanged("nothing is created through the link");
    }
}
