using SecureUpdate.Documents;
using SecureUpdate.Feed;

namespace SecureUpdate.Install;

/// <summary>
/// One target, whatever its kind: a folder (<see cref="FolderTarget"/>: <c>versions/</c> and a
/// <c>current</c> symlink) or a single file (<see cref="FileTarget"/>: replaced in place, the previous
/// one kept beside its state). Operations are written once against this interface; each kind says
/// only how its layout is read, how a version is placed and switched to, and how an interrupted
/// change is finished or undone. The caller holds the target's lock for everything that changes it.
/// </summary>
internal interface IInstallTarget
{
    /// <summary>The state folder and its files.</summary>
    TargetLayout Layout { get; }

    /// <summary>What results and messages name: the target folder, or the file.</summary>
    string Location { get; }

    /// <summary>Whether a version can be placed without switching to it (stage-only, then swap).</summary>
    bool CanStage { get; }

    /// <summary>Refuses a location others could tamper with, or that is not what this kind of target needs; checked before anything is created or fetched.</summary>
    void CheckLocation();

    /// <summary>Refuses to report on a target that does not exist at all.</summary>
    void CheckExists();

    /// <summary>The version installed and running now, or null; never follows anything unexpected.</summary>
    string? ReadCurrent(TargetState? state);

    /// <summary>Every version the target holds (current, kept previous, staged), highest first.</summary>
    IReadOnlyList<SemanticVersion> ListVersions(TargetState? state);

    /// <summary>The folder an installed version keeps its files in, to reuse them instead of downloading them again; null when the kind keeps no such copy.</summary>
    string? InstalledFolder(string version);

    /// <summary>The folder a version's health check and restart command run in.</summary>
    string WorkingFolder(string version);

    /// <summary>Refuses a verified release this kind of target cannot hold.</summary>
    void CheckRelease(ReleaseManifest manifest);

    /// <summary>
    /// Re-hashes what the target holds for <paramref name="version"/> against its manifest; returns the bytes
    /// verified. <paramref name="state"/> is the state the caller read under the lock (where this kind keeps
    /// which version is current).
    /// </summary>
    /// <exception cref="SecureUpdate.Errors.VerificationException">It does not match.</exception>
    Task<long> VerifyVersionAsync(string version, ReleaseManifest manifest, TargetState? state, CancellationToken cancellationToken);

    /// <summary>How this kind names <paramref name="change"/> in its journal.</summary>
    string JournalName(TargetChange change);

    /// <summary>Where <see cref="Place"/> kept a file that was there before a first install and that no version of the target made (a single file replaced by its first install), or null.</summary>
    string? KeptUnmanaged { get; }

    /// <summary>
    /// After the journal records the install: keeps the manifest as received and puts the verified
    /// staged files where <see cref="Switch"/> takes them from. Nothing the app runs changes yet.
    /// </summary>
    void Place(string version, string? previous, string stagingFolder, FetchedManifest fetched, TargetState state);

    /// <summary>Makes <paramref name="version"/> the one the app runs, atomically; null removes it (undoing a first install).</summary>
    void Switch(string? version);

    /// <summary>Removes a version the operation created (its manifest first, so a half-removed version is never taken for a release).</summary>
    void RemoveVersion(string version);

    /// <summary>The state recording <paramref name="version"/> as current where this kind keeps that in its state.</summary>
    TargetState WithCurrent(TargetState state, string version);

    /// <summary>Keeps <paramref name="current"/>, <paramref name="previous"/> (and anything staged above current); removes the rest.</summary>
    void Prune(string current, string? previous);

    /// <summary>Finishes or undoes the operation a dead process left in the journal, and clears leftovers; null when there was nothing to do.</summary>
    Recovery? Recover();
}
