using System.Security.Cryptography;
using System.Text;

namespace SecureUpdate.Tests.Infrastructure;

/// <summary>
/// Everything in a folder tree (paths, kinds, symlink texts, file digests, modes) so a test can prove that
/// a refused update left the target exactly as it was. The lock file and the audit log may change.
/// </summary>
public sealed class TargetSnapshot
{
    private static readonly HashSet<string> s_allowedToChange = new(StringComparer.Ordinal)
    {
        ".secure-update/lock",
        ".secure-update/events.log",
        ".secure-update/events.head",
    };

    private TargetSnapshot(string root, bool exists, IReadOnlyList<SnapshotEntry> entries)
    {
        Root = root;
        Exists = exists;
        Entries = entries;
    }

    public string Root { get; }

    public bool Exists { get; }

    public IReadOnlyList<SnapshotEntry> Entries { get; }

    /// <summary>Captures <paramref name="root"/> (which may not exist yet) without following symlinks.</summary>
    public static TargetSnapshot Capture(string root)
    {
        var entries = new List<SnapshotEntry>();
        var directory = new DirectoryInfo(root);
        if (directory.Exists)
        {
            Walk(directory, "", entries);
        }

        entries.Sort((left, right) => string.CompareOrdinal(left.RelativePath, right.RelativePath));
        return new TargetSnapshot(root, directory.Exists, entries);
    }

    /// <summary>Fails with a readable difference unless the tree is now exactly as captured.</summary>
    public void ShouldBeUnchanged(string because = "")
    {
        var now = Capture(Root);
        var difference = Difference(this, now);
        difference.Should().BeEmpty("the target must be exactly as it was{0}{1}", because.Length > 0 ? ": " : "", because);
    }

    /// <summary>Differences between two captures, one line each.</summary>
    public static string Difference(TargetSnapshot before, TargetSnapshot after)
    {
        var text = new StringBuilder();
        if (before.Exists != after.Exists)
        {
            text.AppendLine(before.Exists ? "the target folder was removed" : "the target folder was created");
        }

        var old = before.Entries.ToDictionary(entry => entry.RelativePath, StringComparer.Ordinal);
        var current = after.Entries.ToDictionary(entry => entry.RelativePath, StringComparer.Ordinal);
        foreach (var entry in before.Entries)
        {
            if (!current.TryGetValue(entry.RelativePath, out var now))
            {
                text.Append("removed: ").Append(entry).AppendLine();
            }
            else if (now != entry)
            {
                text.Append("changed: ").Append(entry).Append("  =>  ").Append(now).AppendLine();
            }
        }

        foreach (var entry in after.Entries.Where(entry => !old.ContainsKey(entry.RelativePath)))
        {
            text.Append("added: ").Append(entry).AppendLine();
        }

        return text.ToString();
    }

    private static void Walk(DirectoryInfo directory, string prefix, List<SnapshotEntry> entries)
    {
        foreach (var info in directory.EnumerateFileSystemInfos())
        {
            var relative = prefix.Length == 0 ? info.Name : prefix + "/" + info.Name;
            if (s_allowedToChange.Contains(relative))
            {
                continue;
            }

            if (info.LinkTarget is { } linkTarget)
            {
                entries.Add(new SnapshotEntry(relative, SnapshotEntryKind.Symlink, linkTarget, null, 0));
            }
            else if (info is DirectoryInfo child)
            {
                entries.Add(new SnapshotEntry(relative, SnapshotEntryKind.Directory, null, null, Mode(child)));
                Walk(child, relative, entries);
            }
            else if (!OperatingSystem.IsWindows() && SpecialFiles.IsSpecial(info.FullName))
            {
                entries.Add(new SnapshotEntry(relative, SnapshotEntryKind.Special, SpecialFiles.FileType(info.FullName).ToString("x", System.Globalization.CultureInfo.InvariantCulture), null, Mode(info)));
            }
            else
            {
                string digest;
                using (var stream = File.OpenRead(info.FullName))
                {
                    digest = Convert.ToHexStringLower(SHA256.HashData(stream));
                }

                entries.Add(new SnapshotEntry(relative, SnapshotEntryKind.File, null, digest, Mode(info)));
            }
        }
    }

    private static UnixFileMode Mode(FileSystemInfo info) => OperatingSystem.IsWindows() ? 0 : info.UnixFileMode;
}
