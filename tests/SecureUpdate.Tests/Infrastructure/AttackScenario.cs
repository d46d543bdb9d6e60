namespace SecureUpdate.Tests.Infrastructure;

/// <summary>
/// One attack test's world, copied from the <see cref="ReleaseTemplate"/>: a feed folder served by its own
/// <see cref="FeedServer"/>, a target (1.0.0 installed, or empty for a first install) and a snapshot of the
/// target taken before the attack.
/// </summary>
public sealed class AttackScenario : IAsyncDisposable
{
    private readonly TempFolder _temp;
    private readonly bool _installed;

    private AttackScenario(ReleaseTemplate template, TempFolder temp, bool installed, FeedServer server)
    {
        Template = template;
        _temp = temp;
        _installed = installed;
        Server = server;
        Forger = new FeedForger(Feed);
        TrustFile = template.TrustFile;
        Before = TargetSnapshot.Capture(Target);
    }

    public ReleaseTemplate Template { get; }

    /// <summary>The feed folder this test may tamper with.</summary>
    public string Feed => _temp.Combine("feed");

    /// <summary>The target's parent: nothing but the target may appear in it.</summary>
    public string Work => _temp.Combine("work");

    public string Target => _temp.Combine("work", "target");

    /// <summary>The trust the applies use: the template's public key unless a test pins another.</summary>
    public string TrustFile { get; set; }

    /// <summary>Whether the applies re-provision the target's trust on purpose (<c>--replace-trust</c>), for a test that pins another trust file.</summary>
    public bool ReplaceTrust { get; set; }

    public FeedServer Server { get; }

    /// <summary>Signs with the independent implementation into <see cref="Feed"/>.</summary>
    public FeedForger Forger { get; }

    /// <summary>The target as it was before the attack.</summary>
    public TargetSnapshot Before { get; private set; }

    public TempFolder Temp => _temp;

    /// <summary>
    /// Creates a scenario whose feed is the template feed right after releasing <paramref name="feedVersion"/>;
    /// the target has 1.0.0 installed unless <paramref name="installed"/> is false (then it does not exist).
    /// </summary>
    public static async Task<AttackScenario> CreateAsync(string feedVersion = ReleaseInputs.V2, bool installed = true)
    {
        var template = await ReleaseTemplate.GetAsync();
        var temp = new TempFolder();
        try
        {
            DirectoryCopy.Copy(template.Feed(feedVersion), temp.Combine("feed"));
            Directory.CreateDirectory(temp.Combine("work"));
            if (installed)
            {
                DirectoryCopy.Copy(template.InstalledTarget, temp.Combine("work", "target"));
            }

            var server = await FeedServer.StartAsync(temp.Combine("feed"));
            return new AttackScenario(template, temp, installed, server);
        }
        catch
        {
            temp.Dispose();
            throw;
        }
    }

    /// <summary>The full path of a feed-relative path.</summary>
    public string FeedPath(string relativePath) => Path.Combine(Feed, relativePath);

    /// <summary><c>apply --json</c> over HTTP from this scenario's server, with the template's trust.</summary>
    public Task<CliResult> ApplyAsync(params string[] extra) => ApplyFromAsync(Server.Url, extra);

    /// <summary><c>apply --json</c> reading the feed folder directly.</summary>
    public Task<CliResult> ApplyFromFolderAsync(params string[] extra) => ApplyFromAsync(Feed, extra);

    /// <summary>Takes a new "before" snapshot (after a set-up step that changes the target).</summary>
    public void Recapture() => Before = TargetSnapshot.Capture(Target);

    /// <summary>
    /// The refusal contract: the documented exit code, a clear stderr line without stack trace, the target exactly as it
    /// was, <c>current</c> still on <paramref name="currentVersion"/> (or no install at all for a first install),
    /// and nothing written beside the target.
    /// </summary>
    public void ShouldBeRefused(CliResult result, int exitCode, string? errorCode = null, string currentVersion = ReleaseInputs.V1)
    {
        result.ShouldExitWith(exitCode).ShouldReportFailureClearly();
        result.JsonString("outcome").Should().Be("failed", "a refused apply reports outcome \"failed\"\n{0}", result.Describe());
        if (errorCode is not null)
        {
            result.ShouldHaveErrorCode(errorCode);
        }

        ShouldBeUntouched(currentVersion);
    }

    /// <summary>The target is exactly as it was and nothing appeared beside it.</summary>
    public void ShouldBeUntouched(string currentVersion = ReleaseInputs.V1)
    {
        if (_installed)
        {
            Before.ShouldBeUnchanged();
            TargetAssert.CurrentVersion(Target).Should().Be(currentVersion);
        }
        else
        {
            // A first install may leave its state folder behind, but no release and no `current`.
            TargetAssert.ShouldHaveNoInstall(Target);
            if (Directory.Exists(Target))
            {
                Directory.EnumerateFileSystemEntries(Target).Select(Path.GetFileName).Should().BeSubsetOf([".secure-update", "versions"]);
            }
        }

        Directory.EnumerateFileSystemEntries(Work).Select(Path.GetFileName).Should().BeSubsetOf(["target"], "nothing may be written beside the target");
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        _temp.Dispose();
    }

    private Task<CliResult> ApplyFromAsync(string feed, string[] extra)
    {
        var arguments = new List<string> { "apply", "--feed", feed, "--trust", TrustFile, "--target", Target, "--json" };
        if (ReplaceTrust)
        {
            arguments.Add("--replace-trust");
        }

        if (!_installed && !extra.Contains("--app"))
        {
            arguments.AddRange(["--app", ReleaseInputs.App]);
        }

        arguments.AddRange(extra);
        return CliRunner.RunAsync([.. arguments]);
    }
}
