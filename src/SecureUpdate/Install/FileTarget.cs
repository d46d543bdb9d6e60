using System.IO.Abstractions;
using System.Security.Cryptography;
using SecureUpdate.Documents;
using SecureUpdate.Errors;
using SecureUpdate.Feed;
using SecureUpdate.Platform;

namespace SecureUpdate.Install;

/// <summary>
/// A single-file target, for a tool installed as one executable (<c>tool self-update</c>): the new
/// file is staged and verified beside the old one, fsynced, and renamed over it, which is atomic and
/// works while the old file runs on Linux. The previous file is kept for rollback as
/// <c>previous-VERSION</c> in the state folder <c>.NAME.secure-update/</c> beside it; the state
/// records which version the file holds.
/// </summary>
internal sealed class FileTarget : IInstallTarget
{
    private const string PreviousPrefix = "previous-";

    private readonly IFileSystem _fileSystem;
    private readonly DiskOperations _disk;
    private readonly Journal _journal;
    private readonly InstallationVerifier _verifier;
    private readonly ManifestLimits _limits;
    private (string Version, string Path)? _placed;

    public FileTarget(string file, IFileSystem fileSystem, DiskOperations disk, Journal journal, InstallationVerifier verifier, ManifestLimits limits)
    {
        _fileSystem = fileSystem;
        _disk = disk;
        _journal = journal;
        _verifier = verifier;
        _limits = limits;
        Location = file;
        Layout = TargetLayout.ForFile(file);
    }

    public TargetLayout Layout { get; }

    /// <summary>The file updated in place.</summary>
    public string Location { get; }

    public bool CanStage => false;

    /// <summary>Where the first install kept the file it replaced, when one was there (<c>previous-unmanaged</c>), or null.</summary>
    public string? KeptUnmanaged { get; private set; }

    /// <summary>The name under which a first install keeps a file it did not install; not a version, so never rolled back to nor pruned.</summary>
    public string UnmanagedFile => Path.Combine(Layout.State, PreviousPrefix + "unmanaged");

    /// <summary>The kept previous file of <paramref name="version"/>.</summary>
    public string PreviousFile(string version) => Path.Combine(Layout.State, PreviousPrefix + version);

    /// <summary>Refuses files and folders that others could swap under us.</summary>
    public void CheckLocation()
    {
        if (!_fileSystem.Directory.Exists(Layout.Root))
        {
            throw Error.UnsafeTarget(Location, "is in a folder that does not exist");
        }

        // The folder's owner and mode were checked with the rest of the layout (TargetSafety): anyone
        // who could write it could replace the file between our verification and its next start.
        var file = _disk.Inspect(Location);
        if (file.Kind is not (LayoutEntryKind.Missing or LayoutEntryKind.RegularFile))
        {
            // A symlink is never followed, a folder is not a file, and a named pipe or device would block or worse.
            throw Error.UnsafeTargetEntry(Location, DiskOperations.KindProblem(file.Kind));
        }
    }

    public void CheckExists()
    {
        // A file that was never installed has an empty status, not an error.
    }

    /// <summary>The version the state says the file holds, while the file is there.</summary>
    public string? ReadCurrent(TargetState? state) => _fileSystem.File.Exists(Location) ? state?.Current : null;

    /// <summary>The version the file holds, then the kept previous ones, highest first.</summary>
    public IReadOnlyList<SemanticVersion> ListVersions(TargetState? state)
    {
        var versions = KeptPrevious();
        if (ReadCurrent(state) is { } current && SemanticVersion.TryParse(current, out var version) && !versions.Contains(version))
        {
            versions.Add(version);
            versions.Sort((a, b) => b.CompareTo(a));
        }

        return versions;
    }

    /// <summary>A single file is always downloaded whole: there is no installed copy of part of it to reuse.</summary>
    public string? InstalledFolder(string version) => null;

    public string WorkingFolder(string version) => Layout.Root;

    public void CheckRelease(ReleaseManifest manifest)
    {
        if (manifest.Files.Count != 1)
        {
            throw Error.NotASingleFileRelease(manifest.Version.ToString(), manifest.Files.Count);
        }
    }

    public Task<long> VerifyVersionAsync(string version, ReleaseManifest manifest, TargetState? state, CancellationToken cancellationToken) =>
        _verifier.VerifyFileAsync(manifest, state?.Current == version ? Location : PreviousFile(version), cancellationToken);

    public string JournalName(TargetChange change) => change switch
    {
        TargetChange.Install => "install-file",
        TargetChange.Rollback => "rollback-file",
        _ => throw new NotSupportedException($"A single-file target has no {change} step."),
    };

    /// <summary>
    /// Writes the state (so that recovery can always record the outcome, even of a first install) and
    /// the manifest as received, and keeps the file it replaces as a second name for rollback, made
    /// durable before the switch. The verified file stays in staging until <see cref="Switch"/>.
    /// </summary>
    public void Place(string version, string? previous, string stagingFolder, FetchedManifest fetched, TargetState state)
    {
        state.Write(_disk, Layout);
        InstalledManifest.Keep(_disk, Layout, version, fetched);
        if (previous is not null)
        {
            var keep = PreviousFile(previous);
            _fileSystem.DeletePath(keep);
            _disk.HardLink(Location, keep);
            _disk.FsyncDirectory(Layout.State);
        }
        else if (_disk.Inspect(Location).Kind == LayoutEntryKind.RegularFile)
        {
            // A first install over a file no version of ours made: keep it, as a previous version is kept.
            _fileSystem.DeletePath(UnmanagedFile);
            _disk.HardLink(Location, UnmanagedFile);
            _disk.FsyncDirectory(Layout.State);
            KeptUnmanaged = UnmanagedFile;
        }

        FaultInjection.Point("version-moved");
        _placed = (version, Path.Combine(stagingFolder, fetched.Manifest.Files[0].Path.Replace('/', Path.DirectorySeparatorChar)));
    }

    /// <summary>Renames the placed file, or the kept previous file of <paramref name="version"/>, over the target: the single atomic step.</summary>
    public void Switch(string? version)
    {
        if (version is null)
        {
            throw new NotSupportedException("A single-file target is never switched to nothing.");
        }

        var source = _placed is { } placed && placed.Version == version ? placed.Path : PreviousFile(version);
        _disk.RenameOver(source, Location);
        _disk.FsyncDirectory(Layout.Root);
        FaultInjection.Point("switched");
    }

    public void RemoveVersion(string version)
    {
        InstalledManifest.Remove(_fileSystem, Layout, version);
        _fileSystem.DeletePath(PreviousFile(version));
    }

    public TargetState WithCurrent(TargetState state, string version) => state with { Current = version };

    /// <summary>Keeps the manifests of the current and previous versions and the one previous file; removes the rest.</summary>
    public void Prune(string current, string? previous)
    {
        foreach (var kept in KeptPrevious().Select(v => v.ToString()).Where(v => v != previous))
        {
            _fileSystem.DeletePath(PreviousFile(kept));
        }

        if (_fileSystem.Directory.Exists(Layout.Manifests))
        {
            foreach (var file in _fileSystem.Directory.EnumerateFiles(Layout.Manifests))
            {
                var name = _fileSystem.Path.GetFileName(file);
                if (!name.StartsWith(current + ".json", StringComparison.Ordinal) && (previous is null || !name.StartsWith(previous + ".json", StringComparison.Ordinal)))
                {
                    _fileSystem.DeletePath(file);
                }
            }
        }

        FaultInjection.Point("pruned");
    }

    /// <summary>
    /// The file's own content says whether the rename happened, because the rename is the single
    /// atomic step: roll forward when it holds the journaled version, otherwise undo.
    /// </summary>
    public Recovery? Recover()
    {
        // The journal and the state are read (and their versions checked) before anything is removed.
        var entry = _journal.Read(Layout);
        var state = TargetState.Read(_fileSystem, Layout);
        _fileSystem.DeletePath(Layout.Staging);
        foreach (var folder in Layout.AtomicWriteFolders)
        {
            _fileSystem.DeleteLeftovers(folder, ".*.tmp");
        }

        if (entry is null)
        {
            return null;
        }

        var install = JournalName(TargetChange.Install);
        string outcome;
        if (HoldsKeptManifestVersion(entry.Version) && state is not null)
        {
            var next = entry.Operation == install
                ? state.WithFloorAtLeast(SemanticVersion.Parse(entry.Version)) with { Current = entry.Version }
                : state.Reject(entry.Previous ?? entry.Version) with { Current = entry.Version };
            next.Write(_disk, Layout);
            if (entry.Operation == install)
            {
                Prune(entry.Version, entry.Previous);
            }

            outcome = $"finished the interrupted {entry.Operation} of {entry.Version}";
        }
        else
        {
            if (entry.Operation == install && entry.Version != state?.Current)
            {
                InstalledManifest.Remove(_fileSystem, Layout, entry.Version);

                // The link made to keep the previous file is a second name of the file still in place: not a kept version.
                if (entry.Previous is not null)
                {
                    _fileSystem.DeletePath(PreviousFile(entry.Previous));
                }
            }

            outcome = $"undid the interrupted {entry.Operation} of {entry.Version}";
        }

        _journal.Complete(Layout);
        return new Recovery(entry.Version, outcome);
    }

    private List<SemanticVersion> KeptPrevious()
    {
        var versions = new List<SemanticVersion>();
        if (_fileSystem.Directory.Exists(Layout.State))
        {
            foreach (var file in _fileSystem.Directory.EnumerateFiles(Layout.State, PreviousPrefix + "*"))
            {
                if (SemanticVersion.TryParse(_fileSystem.Path.GetFileName(file)[PreviousPrefix.Length..], out var version))
                {
                    versions.Add(version);
                }
            }
        }

        versions.Sort((a, b) => b.CompareTo(a));
        return versions;
    }

    private bool HoldsKeptManifestVersion(string version)
    {
        try
        {
            // The kept manifest was verified when it was written; here it only tells which bytes the file would hold.
            var bytes = LocalFiles.ReadCapped(_fileSystem, Layout.ManifestFile(version), _limits.MaxManifestBytes, "manifest");
            var manifest = DocumentParser.ParseManifest(bytes, _limits);
            using var stream = LocalFiles.OpenRegular(_fileSystem, Location, noFollow: true);
            return manifest.Files.Count == 1 && stream.Length == manifest.Files[0].Size
                && CryptographicOperations.FixedTimeEquals(SHA256.HashData(stream), manifest.Files[0].Sha256);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or SecureUpdateException)
        {
            return false;
        }
    }
}
