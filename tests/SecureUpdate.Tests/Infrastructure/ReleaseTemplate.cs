namespace SecureUpdate.Tests.Infrastructure;

/// <summary>
/// Built once per test run with the real CLI and shared (read-only) by the attack tests, which copy it:
/// a release key, the input folders of 1.0.0 and 1.1.0, the feed after releasing 1.0.0, the feed after
/// releasing 1.1.0 as well, and a target with 1.0.0 installed from the first feed.
/// </summary>
public sealed class ReleaseTemplate
{
    private static readonly Lazy<Task<ReleaseTemplate>> s_instance = new(CreateAsync);

    private ReleaseTemplate(string root, ForgedKey releaseKey)
    {
        Root = root;
        ReleaseKey = releaseKey;
    }

    public string Root { get; }

    /// <summary>The publisher's key; <see cref="TrustFile"/> pins it.</summary>
    public ForgedKey ReleaseKey { get; }

    public string KeyFile => Path.Combine(Root, "keys", "release.key");

    /// <summary>The public key file the targets trust (threshold 1).</summary>
    public string TrustFile => Path.Combine(Root, "keys", "release.pub");

    public string InputFolder(string version) => Path.Combine(Root, "inputs", version);

    /// <summary>The feed as it was right after releasing <paramref name="version"/>.</summary>
    public string Feed(string version) => Path.Combine(Root, "feed-" + version);

    /// <summary>A target with 1.0.0 installed.</summary>
    public string InstalledTarget => Path.Combine(Root, "target-" + ReleaseInputs.V1);

    public static Task<ReleaseTemplate> GetAsync() => s_instance.Value;

    private static async Task<ReleaseTemplate> CreateAsync()
    {
        var parent = Path.Combine(Path.GetTempPath(), "secure-update-tests");
        DeleteTemplatesOfDeadRuns(parent);
        var root = Path.Combine(parent, $"template-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..12]}");
        Directory.CreateDirectory(root);

        // The test host does not always raise ProcessExit; the next run also removes what a finished run left.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TempFolder.DeleteTree(root);

        var template = new ReleaseTemplate(root, ForgedKey.Create());
        Directory.CreateDirectory(Path.Combine(root, "keys"));
        template.ReleaseKey.WritePrivateKeyFile(template.KeyFile);
        template.ReleaseKey.WritePublicKeyFile(template.TrustFile);
        ReleaseInputs.WriteFolder(template.InputFolder(ReleaseInputs.V1), ReleaseInputs.Version1);
        ReleaseInputs.WriteFolder(template.InputFolder(ReleaseInputs.V2), ReleaseInputs.Version2);

        var feed = Path.Combine(root, "feed");
        (await template.ReleaseAsync(feed, ReleaseInputs.V1)).ShouldExitWith(0);
        DirectoryCopy.Copy(feed, template.Feed(ReleaseInputs.V1));

        (await CliRunner.RunAsync(
            "apply", "--feed", template.Feed(ReleaseInputs.V1), "--trust", template.TrustFile,
            "--target", template.InstalledTarget, "--app", ReleaseInputs.App)).ShouldExitWith(0);
        TargetAssert.ShouldHaveInstalled(template.InstalledTarget, ReleaseInputs.V1);

        (await template.ReleaseAsync(feed, ReleaseInputs.V2)).ShouldExitWith(0);
        Directory.Move(feed, template.Feed(ReleaseInputs.V2));
        return template;
    }

    private Task<CliResult> ReleaseAsync(string feed, string version) =>
        CliRunner.RunAsync(
            "release", "--feed", feed, "--app", ReleaseInputs.App, "--version", version,
            "--input", InputFolder(version), "--key", KeyFile);

    private static void DeleteTemplatesOfDeadRuns(string parent)
    {
        // A run is known dead only where /proc tells; elsewhere nothing is removed.
        if (!OperatingSystem.IsLinux() || !Directory.Exists(parent))
        {
            return;
        }

        foreach (var folder in Directory.EnumerateDirectories(parent, "template-*"))
        {
            var parts = Path.GetFileName(folder).Split('-');
            if (parts.Length == 3 && int.TryParse(parts[1], out var pid) && !Directory.Exists($"/proc/{pid}"))
            {
                TempFolder.DeleteTree(folder);
            }
        }
    }
}
