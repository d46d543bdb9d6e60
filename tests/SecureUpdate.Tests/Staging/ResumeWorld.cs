using System.Runtime.Versioning;
using System.Text;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Staging;

/// <summary>
/// One resume test's world: a feed offering 2.0.0, whose one large file (<see cref="BigSize"/> bytes) is
/// not in the installed 1.0.0, served by its own <see cref="RangeFeedServer"/>, and a target with 1.0.0
/// installed. The feed and the target are built once per test run with the real CLI and copied.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class ResumeWorld : IAsyncDisposable
{
    /// <summary>The large file: big enough to be kept as a partial download between runs.</summary>
    public const int BigSize = 8 * 1024 * 1024;

    public const string BigPath = "data/big.bin";

    private static readonly Lazy<Task<string>> s_base = new(BuildBaseAsync);

    private readonly TempFolder _temp;

    private ResumeWorld(TempFolder temp, RangeFeedServer server, string trustFile)
    {
        _temp = temp;
        Server = server;
        TrustFile = trustFile;
        Before = TargetSnapshot.Capture(Target);
    }

    public static IReadOnlyList<ForgedFile> Version1 { get; } =
    [
        new("bin/app", Encoding.UTF8.GetBytes("#!/bin/sh\necho 1.0.0\n"), executable: true),
    ];

    public static IReadOnlyList<ForgedFile> Version2 { get; } =
    [
        new("bin/app", Encoding.UTF8.GetBytes("#!/bin/sh\necho 2.0.0\n"), executable: true),
        new(BigPath, ReleaseInputs.Bytes(seed: 13, length: BigSize)),
    ];

    public static ForgedFile Big => Version2.Single(file => file.Path == BigPath);

    /// <summary>The feed-relative path of the large file's blob.</summary>
    public static string BigBlob => FeedForger.BlobPath(Big.Sha256);

    public RangeFeedServer Server { get; }

    public string TrustFile { get; }

    public string Feed => _temp.Combine("feed");

    public string Target => _temp.Combine("target");

    /// <summary>The target as it was before the first apply of the test.</summary>
    public TargetSnapshot Before { get; }

    public string PartialFolder => Path.Combine(Target, ".secure-update", "partial");

    /// <summary>Where the large file's interrupted download is kept.</summary>
    public string PartialFile => Path.Combine(PartialFolder, Big.Sha256);

    public string Sidecar => PartialFile + ".json";

    public TempFolder Temp => _temp;

    public static async Task<ResumeWorld> CreateAsync()
    {
        var basis = await s_base.Value;
        var temp = new TempFolder();
        try
        {
            DirectoryCopy.Copy(Path.Combine(basis, "feed"), temp.Combine("feed"));
            DirectoryCopy.Copy(Path.Combine(basis, "target"), temp.Combine("target"));
            var server = await RangeFeedServer.StartAsync(temp.Combine("feed"));
            return new ResumeWorld(temp, server, (await ReleaseTemplate.GetAsync()).TrustFile);
        }
        catch
        {
            temp.Dispose();
            throw;
        }
    }

    public string[] ApplyArguments(params string[] extra) =>
        ["apply", "--feed", Server.Url, "--trust", TrustFile, "--target", Target, "--json", .. extra];

    /// <summary><c>apply --json</c> of 2.0.0 over HTTP.</summary>
    public Task<CliResult> ApplyAsync(params string[] extra) => CliRunner.RunAsync(ApplyArguments(extra));

    /// <summary>
    /// Starts <c>apply</c> with the large blob served slowly, kills it (SIGKILL) once at least half of the blob is
    /// on disk in the partial file, then serves at full speed again and forgets what was served so far.
    /// </summary>
    public async Task KillHalfwayAsync(params string[] extra)
    {
        Server.Slow(BigBlob, TimeSpan.FromMilliseconds(10));
        using (var process = CliRunner.Start(ApplyArguments(extra)))
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(45);
            while (!(File.Exists(PartialFile) && new FileInfo(PartialFile).Length >= BigSize / 2))
            {
                if (process.HasExited || DateTime.UtcNow > deadline)
                {
                    process.Kill();
                    var result = await process.WaitAsync(TimeSpan.FromSeconds(10));
                    throw new InvalidOperationException($"The download never reached half of the blob in the partial file.\n{result.Describe()}");
                }

                await Task.Delay(5);
            }

            process.Kill();
            await process.WaitAsync(TimeSpan.FromSeconds(10));
        }

        Server.Slow(BigBlob, null);
        (await Server.WaitIdleAsync(TimeSpan.FromSeconds(30))).Should().BeTrue("the killed client's request ends");
        Server.ResetCounts();
        File.Exists(Sidecar).Should().BeTrue("the server's validator is kept beside the partial file");
        new FileInfo(PartialFile).Length.Should().BeLessThan(BigSize, "the kill landed before the end of the blob");
    }

    /// <summary>
    /// Plants what a killed run would have left: the first <paramref name="length"/> bytes of the large file
    /// as its partial file (owner-only) and a sidecar naming this server's URL and current validator.
    /// </summary>
    public void PlantPartial(long length)
    {
        Directory.CreateDirectory(PartialFolder);
        File.SetUnixFileMode(PartialFolder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.WriteAllBytes(PartialFile, Big.Content.AsSpan(0, (int)length).ToArray());
        File.SetUnixFileMode(PartialFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(Sidecar, SidecarText(Big.Sha256, BigSize, Server.Url + "/" + BigBlob, Server.ValidatorOf(BigBlob)));
        File.SetUnixFileMode(Sidecar, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    /// <summary>A sidecar in the documented format.</summary>
    public static string SidecarText(string sha256, long size, string source, string validator) =>
        System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["schema"] = "secure-update/partial/v1",
            ["sha256"] = sha256,
            ["size"] = size,
            ["source"] = source,
            ["validator"] = validator,
        });

    /// <summary>2.0.0 is installed, byte for byte, and no partial download is left.</summary>
    public void ShouldHaveInstalledVersion2()
    {
        TargetAssert.CurrentVersion(Target).Should().Be("2.0.0");
        TargetAssert.ShouldHoldExactly(Path.Combine(Target, "versions", "2.0.0"), Version2);
        Directory.Exists(PartialFolder).Should().BeFalse("a staged release needs no partial download any more");
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        _temp.Dispose();
    }

    private static async Task<string> BuildBaseAsync()
    {
        var template = await ReleaseTemplate.GetAsync();
        var root = Path.Combine(template.Root, "resume");
        var feed = Path.Combine(root, "feed");
        ReleaseInputs.WriteFolder(Path.Combine(root, "input-1"), Version1);
        ReleaseInputs.WriteFolder(Path.Combine(root, "input-2"), Version2);
        (await Release(template, feed, "1.0.0", Path.Combine(root, "input-1"))).ShouldExitWith(0);
        (await CliRunner.RunAsync("apply", "--feed", feed, "--trust", template.TrustFile, "--target", Path.Combine(root, "target"), "--app", ReleaseInputs.App, "--json")).ShouldExitWith(0);
        (await Release(template, feed, "2.0.0", Path.Combine(root, "input-2"))).ShouldExitWith(0);
        return root;
    }

    private static Task<CliResult> Release(ReleaseTemplate template, string feed, string version, string input) =>
        CliRunner.RunAsync("release", "--feed", feed, "--app", ReleaseInputs.App, "--version", version, "--input", input, "--key", template.KeyFile, "--json");
}
