using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.SingleFile;

/// <summary>
/// One test's world: a temporary folder (mode 0700) with a <c>bin</c> folder (mode 0700) that holds the tool,
/// installed from the <see cref="SingleFileTemplate"/> at a given version or not at all, and commands against it.
/// </summary>
internal sealed class SingleFileWorld : IDisposable
{
    private readonly TempFolder _temp;

    private SingleFileWorld(SingleFileTemplate template, TempFolder temp)
    {
        Template = template;
        _temp = temp;
    }

    public SingleFileTemplate Template { get; }

    public TempFolder Temp => _temp;

    /// <summary>The folder of the target file.</summary>
    public string Folder => _temp.Combine("bin");

    /// <summary>The target file: <c>--target-file</c>.</summary>
    public string Target => Path.Combine(Folder, SingleFileTemplate.FileName);

    /// <summary>The state folder beside the target: <c>.NAME.secure-update</c>.</summary>
    public string StateFolder => Path.Combine(Folder, "." + SingleFileTemplate.FileName + ".secure-update");

    public string TrustFile => Template.TrustFile;

    /// <summary>The kept previous file of <paramref name="version"/>.</summary>
    public string PreviousFile(string version) => Path.Combine(StateFolder, "previous-" + version);

    /// <summary>A world whose tool is installed at <paramref name="installed"/>, or an empty <c>bin</c> folder when null.</summary>
    public static async Task<SingleFileWorld> CreateAsync(string? installed)
    {
        var template = await SingleFileTemplate.GetAsync();
        var temp = new TempFolder();
        try
        {
            SingleFileTemplate.CreateOwnerOnlyFolder(temp.Path);
            if (installed is null)
            {
                SingleFileTemplate.CreateOwnerOnlyFolder(temp.Combine("bin"));
            }
            else
            {
                DirectoryCopy.Copy(template.Installed(installed), temp.Combine("bin"));
            }

            return new SingleFileWorld(template, temp);
        }
        catch
        {
            temp.Dispose();
            throw;
        }
    }

    /// <summary>A copy of the template feed of <paramref name="version"/> that this test may add to or tamper with.</summary>
    public FeedForger CopyFeed(string version)
    {
        var feed = _temp.Combine("feed-" + version + "-" + Guid.NewGuid().ToString("N")[..6]);
        DirectoryCopy.Copy(Template.Feed(version), feed);
        return new FeedForger(feed);
    }

    /// <summary><c>apply --json --target-file</c> with the template's trust; the app comes from the target's state unless <paramref name="extra"/> names it.</summary>
    public Task<CliResult> ApplyAsync(string feed, params string[] extra) =>
        CliRunner.RunAsync(["apply", "--feed", feed, "--trust", TrustFile, "--target-file", Target, "--json", .. extra]);

    public Task<CliResult> VerifyAsync() => CliRunner.RunAsync("verify", "--target-file", Target, "--trust", TrustFile, "--json");

    public Task<CliResult> RollbackAsync() => CliRunner.RunAsync("rollback", "--target-file", Target, "--json");

    public Task<CliResult> StatusAsync() => CliRunner.RunAsync("status", "--target-file", Target, "--json");

    /// <summary>Everything in <see cref="Folder"/>: the file, its state folder and anything a command might add beside it.</summary>
    public TargetSnapshot Snapshot() => TargetSnapshot.Capture(Folder);

    /// <summary>
    /// Fails unless <see cref="Folder"/> is exactly as in <paramref name="before"/>; only the lock file and the audit log
    /// in the state folder may change (as for a folder target).
    /// </summary>
    public void ShouldBeUnchangedSince(TargetSnapshot before, string because)
    {
        var state = Path.GetFileName(StateFolder) + "/";
        var difference = TargetSnapshot.Difference(before, Snapshot())
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(line => !line.Contains(" " + state + "lock ", StringComparison.Ordinal) && !line.Contains(" " + state + "events.log ", StringComparison.Ordinal)
                && !line.Contains(" " + state + "events.head ", StringComparison.Ordinal));
        difference.Should().BeEmpty("the folder of the file must be exactly as it was: {0}", because);
    }

    /// <summary>The target is a regular file byte-identical to the tool of <paramref name="version"/>, with mode 0755.</summary>
    public void ShouldHold(string version, string because = "") => ShouldHold(Target, SingleFileTemplate.Tool(version), because);

    /// <summary><paramref name="path"/> is a regular file byte-identical to <paramref name="file"/>, with mode 0755 (0644 if not executable).</summary>
    public static void ShouldHold(string path, ForgedFile file, string because = "")
    {
        var actual = FileFingerprint.Of(path);
        var mode = file.Executable ? ReleaseInputs.ExecutableMode : ReleaseInputs.RegularMode;
        actual.Should().Be(new FileFingerprint(true, null, file.Sha256, mode), "{0} should hold exactly the release's file with its executable bit {1}", path, because);
    }

    public void Dispose() => _temp.Dispose();
}
