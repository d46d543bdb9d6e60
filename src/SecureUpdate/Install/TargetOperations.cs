using System.IO.Abstractions;
using SecureUpdate.Events;
using SecureUpdate.Formats;
using SecureUpdate.IO;
using SecureUpdate.Manifests;

namespace SecureUpdate.Install;

/// <summary>
/// The journaled changes to a target, and recovery from any of them interrupted. Every change
/// is ordered file fsync → rename → folder fsync, and <c>current</c> only ever moves by an atomic
/// rename, so after a crash at any instant <c>current</c> is exactly the old or the new release.
/// The caller holds the target's lock.
/// </summary>
internal sealed class TargetOperations
{
    private readonly IFileSystem _fileSystem;
    private readonly AuditTrail _audit;

    public TargetOperations(IFileSystem fileSystem, TargetPaths paths, AuditTrail audit)
    {
        _fileSystem = fileSystem;
        Paths = paths;
        _audit = audit;
    }

    public TargetPaths Paths { get; }

    /// <summary>Moves a verified staging folder into <c>versions/VERSION</c> with its manifest as received.</summary>
    public void MoveIn(string version, string stagingFolder, byte[] manifestBytes, byte[] manifestSignatures)
    {
        DiskOperations.CreateDirectory(Paths.Manifests, DiskOperations.OwnerOnlyDirectory);
        DiskOperations.WriteFileAtomic(Paths.ManifestSignatureFile(version), manifestSignatures, DiskOperations.OwnerOnlyFile);
        DiskOperations.WriteFileAtomic(Paths.ManifestFile(version), manifestBytes, DiskOperations.OwnerOnlyFile);
        FaultInjection.Point("manifest-written");

        DiskOperations.CreateDirectory(Paths.Versions, DiskOperations.Executable);
        var folder = Paths.VersionFolder(version);
        if (_fileSystem.Directory.Exists(folder) || _fileSystem.File.Exists(folder))
        {
            // Not current (the caller checked): a leftover, replaced by the verified copy.
            DeletePath(folder);
        }

        _fileSystem.Directory.Move(stagingFolder, folder);
        DiskOperations.SetMode(folder, DiskOperations.Executable);
        DiskOperations.FsyncDirectory(Paths.Versions);
        DiskOperations.FsyncDirectory(_fileSystem.Path.GetDirectoryName(stagingFolder)!);
        FaultInjection.Point("version-moved");
    }

    /// <summary>Points <c>current</c> at <paramref name="version"/>, or removes it when null (undoing a first install).</summary>
    public void Switch(string? version)
    {
        if (version is null)
        {
            if (_fileSystem.FileInfo.New(Paths.Current).LinkTarget is not null)
            {
                _fileSystem.File.Delete(Paths.Current);
                DiskOperations.FsyncDirectory(Paths.Root);
            }
        }
        else
        {
            DiskOperations.SwitchSymlink(Paths.Current, "versions/" + version);
        }

        FaultInjection.Point("switched");
    }

    /// <summary>Removes an installed version: its manifest first (so a half-removed folder is never taken for a release), then its folder.</summary>
    public void RemoveVersion(string version)
    {
        DeletePath(Paths.ManifestFile(version));
        DeletePath(Paths.ManifestSignatureFile(version));
        DeletePath(Paths.VersionFolder(version));
    }

    /// <summary>Keeps <paramref name="current"/>, <paramref name="previous"/> and anything staged above current; removes the rest.</summary>
    public void Prune(string current, string? previous)
    {
        var currentVersion = SemanticVersion.Parse(current);
        foreach (var installed in InstalledVersions.List(_fileSystem, Paths))
        {
            var name = installed.ToString();
            if (name != current && name != previous && !(installed > currentVersion))
            {
                RemoveVersion(name);
            }
        }

        FaultInjection.Point("pruned");
    }

    /// <summary>
    /// Finishes or undoes the operation a dead process left in the journal, and clears leftover
    /// staging. Returns a description of what was done, or null when there was nothing to do.
    /// </summary>
    public string? Recover()
    {
        DeletePath(Paths.Staging);
        DeleteInterruptedWrites();
        var entry = Journal.Read(_fileSystem, Paths);
        if (entry is null)
        {
            return null;
        }

        var current = InstalledVersions.ReadCurrent(_fileSystem, Paths);
        var state = TargetState.Read(_fileSystem, Paths);
        string outcome;
        switch (entry.Operation)
        {
            case "install" when current == entry.Version && !entry.AwaitingHealth:
                // The switch happened: roll forward.
                if (state is not null)
                {
                    state.WithFloorAtLeast(SemanticVersion.Parse(entry.Version)).Write(Paths);
                }

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
                (state.Reject(entry.Previous) with { Pending = null }).Write(Paths);
                outcome = $"finished the interrupted rollback to {entry.Version}";
                break;
            case "revert" when current == entry.Previous && state is not null:
                // Switched back from an unconfirmed version (possibly to nothing, after a first install).
                (state.Reject(entry.Version) with { Pending = null }).Write(Paths);
                outcome = $"finished the interrupted revert of {entry.Version}";
                break;
            default:
                outcome = $"closed the interrupted {entry.Operation}, which had not switched";
                break;
        }

        Journal.Complete(Paths);
        _audit.Record(Paths, "recovered", UpdateStage.Install, null, current, outcome);
        return outcome;
    }

    /// <summary>Removes the temporary files of atomic writes and symlink switches that a dead process left behind.</summary>
    private void DeleteInterruptedWrites()
    {
        foreach (var (folder, pattern) in new[] { (Paths.State, ".*.tmp"), (Paths.Manifests, ".*.tmp"), (Paths.Root, ".current.*.tmp") })
        {
            if (!_fileSystem.Directory.Exists(folder))
            {
                continue;
            }

            foreach (var leftover in _fileSystem.Directory.EnumerateFiles(folder, pattern))
            {
                DeletePath(leftover);
            }
        }
    }

    private void DeletePath(string path)
    {
        var info = _fileSystem.FileInfo.New(path);
        if (info.LinkTarget is not null || _fileSystem.File.Exists(path))
        {
            _fileSystem.File.Delete(path);
        }
        else if (_fileSystem.Directory.Exists(path))
        {
            _fileSystem.Directory.Delete(path, recursive: true);
        }
    }
}
