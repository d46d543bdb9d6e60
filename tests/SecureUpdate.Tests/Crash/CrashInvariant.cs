using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Crash;

/// <summary>
/// The crash invariant of issue 3, "Journal and recovery": after a kill at any instant, <c>TARGET/current</c> is exactly
/// the old or exactly the new release, and the next command finishes or undoes the interrupted operation.
/// </summary>
public static class CrashInvariant
{
    /// <summary>
    /// <c>TARGET/current</c> is a symlink whose text is exactly <c>versions/OLD</c> or <c>versions/NEW</c>, and that folder holds
    /// exactly that release's files, byte for byte and mode for mode. Returns the version it points at.
    /// </summary>
    public static string ShouldBeOldOrNew(string target, ReleaseFiles old, ReleaseFiles @new, string when)
    {
        var current = new FileInfo(Path.Combine(target, "current"));
        current.LinkTarget.Should().NotBeNull("{0}: TARGET/current must still be a symlink (there was an old release)\n{1}", when, Listing(target));
        var link = current.LinkTarget!;
        link.Should().BeOneOf(
            new[] { "versions/" + old.Version, "versions/" + @new.Version },
            "{0}: TARGET/current must point at exactly the old or the new release\n{1}",
            when,
            Listing(target));
        var release = link == "versions/" + old.Version ? old : @new;
        var folder = Path.Combine(target, "versions", release.Version);
        new FileInfo(folder).LinkTarget.Should().BeNull("{0}: versions/{1} must be a real folder", when, release.Version);
        TargetAssert.ShouldHoldExactly(folder, release.Files);
        return release.Version;
    }

    /// <summary>
    /// Runs <c>status</c> (which settles the interrupted operation), then checks that the journal and staging are gone,
    /// that <c>current</c> is still exactly old or new, that it reports that version and a version floor no lower (the floor
    /// is the highest version ever installed, so finishing an install raises it), and that <c>verify</c> exits 0.
    /// Returns the version current points at.
    /// </summary>
    public static async Task<string> ShouldRecoverAsync(string target, string trustFile, ReleaseFiles old, ReleaseFiles @new)
    {
        var status = (await CrashCli.RunAsync(null, "status", "--target", target, "--json")).ShouldExitWith(0).ShouldHaveNoStackTrace();
        var version = await ShouldBeSettledAsync(target, trustFile, old, @new, "after status");
        StatusReader.Current(status).Should().Be(version, "status reports the version current points at\n{0}", status.Describe());
        var floor = status.JsonString("floor");
        floor.Should().NotBeNull("an installed target has a version floor\n{0}", status.Describe());
        Version.Parse(floor!).Should().BeGreaterThanOrEqualTo(Version.Parse(version), "the floor is the highest version ever installed, so never below current\n{0}", status.Describe());
        return version;
    }

    /// <summary>No journal, no staging, <c>current</c> exactly old or new, and <c>verify</c> exits 0.</summary>
    public static async Task<string> ShouldBeSettledAsync(string target, string trustFile, ReleaseFiles old, ReleaseFiles @new, string when)
    {
        File.Exists(JournalPath(target)).Should().BeFalse("{0}: the interrupted operation must be finished or undone, and its journal removed\n{1}", when, Listing(target));
        Directory.Exists(Path.Combine(target, ".secure-update", "staging")).Should().BeFalse("{0}: no staging may be left\n{1}", when, Listing(target));
        var version = ShouldBeOldOrNew(target, old, @new, when);
        (await CrashCli.RunAsync(null, "verify", "--target", target, "--trust", trustFile)).ShouldExitWith(0).ShouldHaveNoStackTrace();
        return version;
    }

    /// <summary><c>TARGET/.secure-update/journal.json</c>.</summary>
    public static string JournalPath(string target) => Path.Combine(target, ".secure-update", "journal.json");

    /// <summary>The version <c>current</c> points at, or null when there is no symlink.</summary>
    public static string? CurrentLink(string target) => new FileInfo(Path.Combine(target, "current")).LinkTarget;

    /// <summary>A short listing of the target for failure messages: the top level, versions/ and .secure-update/.</summary>
    public static string Listing(string target)
    {
        var lines = new List<string>();
        foreach (var folder in new[] { target, Path.Combine(target, "versions"), Path.Combine(target, ".secure-update") })
        {
            if (!Directory.Exists(folder))
            {
                continue;
            }

            foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal))
            {
                var relative = Path.GetRelativePath(target, entry.FullName);
                lines.Add(entry.LinkTarget is { } link ? $"  {relative} -> {link}" : entry is DirectoryInfo ? $"  {relative}/" : $"  {relative}");
            }
        }

        var journal = JournalPath(target);
        if (File.Exists(journal))
        {
            lines.Add("journal: " + File.ReadAllText(journal).ReplaceLineEndings(" "));
        }

        return string.Join('\n', lines);
    }
}
