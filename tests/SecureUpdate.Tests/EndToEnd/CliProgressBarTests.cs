using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.EndToEnd;

/// <summary>
/// <c>apply</c>'s progress bar, process-level: on a terminal (a real pseudo-terminal) stderr shows
/// a bar redrawn in place with percent, bytes in binary units, speed and ETA, ended by a newline,
/// while stdout keeps its result line or its one JSON object; without a terminal, with
/// <c>--no-progress</c> or with <c>TERM=dumb</c> nothing extra is printed; a failure's message
/// starts on a line of its own below the bar.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed partial class CliProgressBarTests : IDisposable
{
    private const int LargeSize = 600;
    private const string Escape = "\u001b";
    private readonly ReleaseWorkspace _workspace = new();
    private readonly string _large = new('x', LargeSize);
    private readonly string _stdoutFile;

    public CliProgressBarTests()
    {
        _workspace.WriteInput("large.bin", _large);
        _workspace.WriteInput("small.txt", "small\n");
        _stdoutFile = Path.Combine(_workspace.Root, "stdout.txt");
    }

    private string LargeBlob => FeedForger.BlobPath(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(_large))));

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task Apply_OnATerminal_DrawsABarInPlace_AndTheResultLineIsIntact()
    {
        await _workspace.PublishAsync("1.0.0");
        await using var server = await FeedServer.StartAsync(_workspace.Feed);
        server.ServeSlowDrip(LargeBlob, TimeSpan.FromMilliseconds(1));

        var (exitCode, terminal, stdout) = await PseudoTerminal.RunCliAsync(_stdoutFile, new Dictionary<string, string?>(), Apply(server.Url));

        exitCode.Should().Be(0, "the apply succeeds\n{0}", Shown(terminal));
        stdout.Should().Be("Installed demo 1.0.0 (2 files downloaded, 606 bytes).\n", "stdout is what it is without a terminal");
        ShouldBeOnlyABar(terminal);
    }

    [Fact]
    public async Task ApplyJson_OnATerminal_DrawsTheBarOnStderr_AndStdoutIsOneJsonObject()
    {
        await _workspace.PublishAsync("1.0.0");
        await using var server = await FeedServer.StartAsync(_workspace.Feed);
        server.ServeSlowDrip(LargeBlob, TimeSpan.FromMilliseconds(1));

        var (exitCode, terminal, stdout) = await PseudoTerminal.RunCliAsync(_stdoutFile, new Dictionary<string, string?>(), [.. Apply(server.Url), "--json"]);

        exitCode.Should().Be(0, "the apply succeeds\n{0}", Shown(terminal));
        var json = new CliResult([], exitCode, stdout, terminal, TimeSpan.Zero);
        json.JsonString("outcome").Should().Be("installed");
        stdout.Should().NotContain(Escape).And.NotContain("\r");
        ShouldBeOnlyABar(terminal);
    }

    [Fact]
    public async Task Apply_WithoutATerminal_PrintsNoBar()
    {
        await _workspace.PublishAsync("1.0.0");
        await using var server = await FeedServer.StartAsync(_workspace.Feed);

        var text = await CliRunner.RunAsync(Apply(server.Url));
        var json = await CliRunner.RunAsync([.. Apply(server.Url, Path.Combine(_workspace.Root, "second")), "--json"]);

        text.ShouldExitWith(0);
        text.Stdout.Should().Be("Installed demo 1.0.0 (2 files downloaded, 606 bytes).\n");
        text.Stderr.Should().BeEmpty("stderr is not a terminal: no bar, no control characters");
        json.ShouldExitWith(0);
        json.JsonString("outcome").Should().Be("installed");
        json.Stderr.Should().BeEmpty();
    }

    [Theory]
    [InlineData("--no-progress", "xterm")]
    [InlineData(null, "dumb")]
    public async Task Apply_OnATerminal_NoProgressOrDumbTerminal_PrintsNoBar(string? flag, string term)
    {
        await _workspace.PublishAsync("1.0.0");
        await using var server = await FeedServer.StartAsync(_workspace.Feed);
        string[] arguments = flag is null ? Apply(server.Url) : [.. Apply(server.Url), flag];

        var (exitCode, terminal, stdout) = await PseudoTerminal.RunCliAsync(_stdoutFile, new Dictionary<string, string?> { ["TERM"] = term }, arguments);

        exitCode.Should().Be(0, "the apply succeeds\n{0}", Shown(terminal));
        terminal.Should().BeEmpty("no bar is drawn: {0}", Shown(terminal));
        stdout.Should().Be("Installed demo 1.0.0 (2 files downloaded, 606 bytes).\n");
    }

    [Fact]
    public async Task Apply_FailingOnATerminal_PrintsTheErrorOnALineOfItsOwn_AndLeavesNoTarget()
    {
        await _workspace.PublishAsync("1.0.0");
        await using var server = await FeedServer.StartAsync(_workspace.Feed);
        server.ServeEndless(LargeBlob);

        var (exitCode, terminal, stdout) = await PseudoTerminal.RunCliAsync(_stdoutFile, new Dictionary<string, string?>(), Apply(server.Url));

        exitCode.Should().Be(3, "a blob longer than its signed size is refused\n{0}", Shown(terminal));
        stdout.Should().BeEmpty();
        var lines = terminal.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(2, "the bar, then the error: {0}", Shown(terminal));
        var lastBar = lines[0].Split('\r', StringSplitOptions.RemoveEmptyEntries)[^1];
        lastBar.Should().EndWith(Escape + "[K");
        BarLine().IsMatch(lastBar[..^3]).Should().BeTrue("the bar stays where it stopped: {0}", Shown(terminal));
        lines[1].Should().StartWith("secure-update apply: ").And.NotContain(Escape);
        TargetAssert.ShouldHaveNoInstall(_workspace.Target);
    }

    /// <summary>
    /// The terminal shows nothing but bar redraws (<c>\r</c>, a bar line, erase to the end of the
    /// line), then one newline: several redraws while the large file arrived, at least one with a
    /// measured speed and ETA, and the last one at 100 % with every byte.
    /// </summary>
    private static void ShouldBeOnlyABar(string terminal)
    {
        terminal.Should().EndWith(Escape + "[K\r\n", "the bar ends with a newline: {0}", Shown(terminal));
        var redraws = terminal[..^2].Split('\r', StringSplitOptions.RemoveEmptyEntries);
        redraws.Should().OnlyContain(r => r.EndsWith(Escape + "[K", StringComparison.Ordinal), "each redraw erases the rest of the line: {0}", Shown(terminal));
        var bars = redraws.Select(r => r[..^3]).ToArray();
        bars.Should().OnlyContain(b => BarLine().IsMatch(b), "every line is a bar: {0}", Shown(terminal));
        bars.Should().OnlyContain(b => b.Length <= 79, "a bar fits an 80-column terminal");
        bars.Where(b => Measured().IsMatch(b) && !b.Contains("100%", StringComparison.Ordinal)).Should().NotBeEmpty(
            "a redraw while the file arrives shows a speed and an ETA: {0}", Shown(terminal));
        bars[^1].Should().StartWith("[####################] 100%  606 B / 606 B  ");
        bars[^1].Should().EndWith("ETA 0:00");
    }

    private static string Shown(string terminal) => terminal.Replace(Escape, "\\e", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n\n", StringComparison.Ordinal);

    private string[] Apply(string feed, string? target = null) =>
        ["apply", "--feed", feed, "--trust", Path.Combine(_workspace.Keys, "release.pub"), "--target", target ?? _workspace.Target, "--app", ReleaseWorkspace.App];

    [GeneratedRegex(@"^\[[#-]{20}\] +\d{1,3}%  \d+(\.\d)? (B|KiB|MiB|GiB) / \d+(\.\d)? (B|KiB|MiB|GiB)  (\d+(\.\d)? (B|KiB|MiB|GiB)|--) ?B?/s  ETA (\d+:\d\d(:\d\d)?|--:--)$")]
    private static partial Regex BarLine();

    [GeneratedRegex(@"  \d+(\.\d)? (B|KiB|MiB|GiB)/s  ETA \d+:\d\d")]
    private static partial Regex Measured();
}
