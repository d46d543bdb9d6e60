using System.IO.Abstractions;
using SecureUpdate.Documents;
using SecureUpdate.Errors;
using SecureUpdate.Feed;
using SecureUpdate.Platform;

namespace SecureUpdate.Install;

/// <summary>
/// A folder target: complete, verified releases in <c>versions/VERSION/</c>, and <c>current</c>, a
/// symlink to one of them that only ever moves by an atomic rename (docs/formats.md, "Install layout"). After a
/// crash at any instant <c>current</c> is exactly the old or the new release.
/// </summary>
internal sealed class FolderTarget : IInstallTarget
{
    private const string VersionsPrefix = "versions/";

    private readonly IFileSystem _fileSystem;
    private readonly DiskOperations _disk;
    private readonly Journal _journal;
    private readonly InstallationVerifier _verifier;
    private readonly TargetSafety _safety;

    public FolderTarget(string root, IFileSystem fileSystem, DiskOperations disk, Journal journal, InstallationVerifier verifier)
    {
        _fileSystem = fileSystem;
        _disk = disk;
        _journal = journal;
        _verifier = verifier;
        _safety = new TargetSafety(disk);
        Location = root;
        Current = Path.Combine(root, "current");
        Layout = TargetLayout.ForFolder(root);
        Versions = Layout.RootFolders[0];
    }

    public TargetLayout Layout { get; }

    public string Location { get; }

    public bool CanStage => true;

    /// <summary>A folder target never replaces anything it did not make.</summary>
    public string? KeptUnmanaged => null;

    /// <summary>The symlink to the running version.</summary>
    public string Current { get; }

    /// <summary>The folder of installed versions.</summary>
    public string Versions { get; }

    public string VersionFolder(string version) => Path.Combine(Versions, version);

    public void CheckLocation()
    {
        if (_fileSystem.File.Exists(Location))
        {
            throw Error.UnsafeTarget(Location, "is a file, not a folder");
        }
    }

    public void CheckExists()
    {
        if (!_fileSystem.Directory.Exists(Location))
        {
            throw Error.UnsafeTarget(Location, "does not exist");
        }
    }

    /// <summary>
    /// The version <c>current</c> points at, or null when there is none. A <c>current</c> that is not
    /// a symlink to <c>versions/VERSION</c> inside the target is refused, never followed.
    /// </summary>
    public string? ReadCurrent(TargetState? state)
    {
        // A planted symlink at versions/ would make every install write outside the target.
        if (_fileSystem.FileInfo.New(Versions).LinkTarget is not null)
        {
            throw Error.UnsafeTarget(Versions, "is a symlink; refusing to follow it");
        }

        var info = _fileSystem.FileInfo.New(Current);
        if (!info.Exists && info.LinkTarget is null && !_fileSystem.Directory.Exists(Current))
        {
            return null;
        }

        var target = info.LinkTarget ?? throw Error.UnsafeTarget(Current, "is not a symlink made by secure-update; refusing to touch the target");
        var version = target.StartsWith(VersionsPrefix, StringComparison.Ordinal) ? target[VersionsPrefix.Length..] : null;
        if (version is null || !SemanticVersion.TryParse(version, out _) || !_fileSystem.Directory.Exists(VersionFolder(version))
            || _fileSystem.FileInfo.New(VersionFolder(version)).LinkTarget is not null)
        {
            throw Error.UnsafeTarget(Current, $"points at '{Printable.Of(target)}', not at an installed version inside the target; refusing to follow it");
        }

        return version;
    }

    /// <summary>Installed version folders (valid SemVer names only), highest first.</summary>
    public IReadOnlyList<SemanticVersion> ListVersions(TargetState? state)
    {
        if (!_fileSystem.Directory.Exists(Versions))
        {
            return [];
        }

        var versions = new List<SemanticVersion>();
        foreach (var folder in _fileSystem.Directory.EnumerateDirectories(Versions))
        {
            if (SemanticVersion.TryParse(_fileSystem.Path.GetFileName(folder), out var version))
            {
                versions.Add(version);
            }
        }

        versions.Sort((a, b) => b.CompareTo(a));
        return versions;
    }

    public string? InstalledFolder(string version) => VersionFolder(version);

    public string WorkingFolder(string version) => VersionFolder(version);

    public void CheckRelease(ReleaseManifest manifest)
    {
        // A folder holds any release.
    }

    /// <summary>Re-hashes <c>versions/VERSION</c>, checked first to be a real folder inside the target (never a symlink to a copy elsewhere).</summary>
    public Task<long> VerifyVersionAsync(string version, ReleaseManifest manifest, TargetState? state, CancellationToken cancellationToken)
    {
        _safety.CheckVersionFolder(Layout, VersionFolder(version));
        return _verifier.VerifyFolderAsync(manifest, VersionFolder(version), cancellationToken);
    }

    public string JournalName(TargetChange change) => change switch
    {
        TargetChange.Stage => "stage",
        TargetChange.Install => "install",
        TargetChange.Rollback => "rollback",
        TargetChange.Revert => "revert",
        _ => throw new ArgumentOutOfRangeException(nameof(change)),
    };

    /// <summary>Moves a verified staging folder into <c>versions/VERSION</c> with its manifest as received.</summary>
    public void Place(string version, string? previous, string stagingFolder, FetchedManifest fetched, TargetState state)
    {
        InstalledManifest.Keep(_disk, Layout, version, fetched);

        _disk.CreateDirectory(Versions, DiskOperations.Executable);
        var folder = VersionFolder(version);
        if (_fileSystem.Directory.Exists(folder) || _fileSystem.File.Exists(folder))
        {
            // Not current (the caller checked): a leftover, replaced by the verified copy.
            _fileSystem.DeletePath(folder);
        }

        _fileSystem.Directory.Move(stagingFolder, folder);
        _disk.SetMode(folder, DiskOperations.Executable);
        _disk.FsyncDirectory(Versions);
        _disk.FsyncDirectory(_fileSystem.Path.GetDirectoryName(stagingFolder)!);
        FaultInjection.Point("version-moved");
    }

    /// <summary>Points <c>current</c> at <paramref name="version"/>, or removes it when null (undoing a first install).</summary>
    public void Switch(string? version)
    {
        if (version is not null)
        {
            // Checked again right before `current` names it: what was verified must still be a real folder inside the target.
            _safety.CheckVersionFolder(Layout, VersionFolder(version));
            _disk.SwitchSymlink(Current, VersionsPrefix + version);
        }
        else if (_fileSystem.FileInfo.New(Current).LinkTarget is not null)
        {
            _disk.RemoveSymlink(Current);
        }

        FaultInjection.Point("switched");
    }

    public void RemoveVersion(string version)
    {
        InstalledManifest.Remove(_fileSystem, Layout, version);
        _fileSystem.DeletePath(VersionFolder(version));
    }

    /// <summary><c>current</c> itself says which version is current: the state does not repeat it.</summary>
    public TargetState WithCurrent(TargetState state, string version) => state;

    public void Prune(string current, string? previous)
    {
        var currentVersion = SemanticVersion.Parse(current);
        foreach (var installed in ListVersions(null))
        {
            var name = installed.ToString();
            if (name != current && name != previous && !(installed > currentVersion))
            {
                RemoveVersion(name);
            }
        }

        FaultInjection.Point("pruned");
    }

    /// <summary>Decides from <c>current</c> alone whether the journaled switch happened, then rolls forward or back.</summary>
    public Recovery? Recover()
    {
        // The journal and the state are read (and their versions checked) before anything is removed.
        var entry = _journal.Read(Layout);
        var state = TargetState.Read(_fileSystem, Layout);
        _fileSystem.DeletePath(Layout.Staging);
        DeleteInterruptedWrites();
        if (entry is null)
        {
            return null;
        }

        var current = ReadCurrent(null);
        string outcome;
        switch (entry.Operation)
        {
            case "install" when current == entry.Version && !entry.AwaitingHealth:
                // The switch happened: roll forward.
                state?.WithFloorAtLeast(SemanticVersion.Parse(entry.Version)).Write(_disk, Layout);
                Prune(entry.Version, entry.Previous);
                outcome = $"finished the interrupted install of {entry.Version}";
                break;
            case "install" when current == entry.Version:
                // Switched, but the health check never passed: go back.
                Switch(entry.Previous);
                if (entry.CreatedVersion)
                {
                    RemoveVersion(entry.Version);
                }

                outcome = $"undid the unconfirmed switch to {entry.Version}; back to {entry.Previous ?? "nothing installed"}";
                break;
            case "install" or "stage":
                if (entry.CreatedVersion)
                {
                    RemoveVersion(entry.Version);
                }

                outcome = $"undid the interrupted {entry.Operation} of {entry.Version}";
                break;
            case "rollback" when current == entry.Version && state is not null && entry.Previous is not null:
                (state.Reject(entry.Previous) with { Pending = null }).Write(_disk, Layout);
                outcome = $"finished the interrupted rollback to {entry.Version}";
                break;
            case "revert" when current == entry.Previous && state is not null:
                // Switched back from an unconfirmed version (possibly to nothing, after a first install).
                (state.Reject(entry.Version) with { Pending = null }).Write(_disk, Layout);
                outcome = $"finished the interrupted revert of {entry.Version}";
                break;
            default:
                outcome = $"closed the interrupted {entry.Operation}, which had not switched";
                break;
        }

        _journal.Complete(Layout);
        return new Recovery(current, outcome);
    }

    /// <summary>Removes the temporary files of atomic writes and symlink switches that a dead process left behind.</summary>
    private void DeleteInterruptedWrites()
    {
        foreach (var folder in Layout.AtomicWriteFolders)
        {
            _fileSystem.DeleteLeftovers(folder, ".*.tmp");
        }

        _fileSystem.DeleteLeftovers(Location, ".current.*.tmp", ownFolder: false);
    }

}
