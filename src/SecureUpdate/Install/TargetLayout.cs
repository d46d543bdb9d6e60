namespace SecureUpdate.Install;

/// <summary>
/// Where a target keeps its state: <c>.secure-update/</c> inside a folder target, or
/// <c>.NAME.secure-update/</c> beside the file of a single-file target (docs/formats.md, "Install layout").
/// The paths only; nothing here touches the disk.
/// </summary>
internal sealed class TargetLayout
{
    public TargetLayout(string root, string stateFolderName, params string[] rootFolders)
    {
        Root = root;
        RootFolders = rootFolders;
        State = Path.Combine(Root, stateFolderName);
        StateFile = Path.Combine(State, "state.json");
        Manifests = Path.Combine(State, "manifests");
        Lock = Path.Combine(State, "lock");
        Staging = Path.Combine(State, "staging");
        Partials = Path.Combine(State, "partial");
        Journal = Path.Combine(State, "journal.json");
        Events = Path.Combine(State, "events.log");
        EventsHead = Path.Combine(State, "events.head");
        PinnedTrust = Path.Combine(State, "trust.json");
        Roots = Path.Combine(State, "roots");
        DebugAllowed = Path.Combine(State, "debug-allowed");
    }

    /// <summary>The name of a folder target's state folder, inside the target.</summary>
    public const string FolderStateName = ".secure-update";

    /// <summary>The folder, inside a folder target, that holds one folder per installed version.</summary>
    public const string VersionsName = "versions";

    /// <summary>The layout of the folder target at <paramref name="root"/>.</summary>
    public static TargetLayout ForFolder(string root) => new(root, FolderStateName, Path.Combine(root, VersionsName));

    /// <summary>The layout of the single-file target <paramref name="file"/>: its state folder <c>.NAME.secure-update/</c> beside it.</summary>
    public static TargetLayout ForFile(string file) =>
        new(Path.GetDirectoryName(file)!, $".{Path.GetFileName(file)}.secure-update") { File = file };

    /// <summary>The folder that holds the target: the target folder itself, or the folder of a single file.</summary>
    public string Root { get; }

    /// <summary>The single file of a single-file target, or null for a folder target.</summary>
    public string? File { get; init; }

    /// <summary>The folders the target keeps directly in <see cref="Root"/> besides the state folder (<c>versions/</c> of a folder target).</summary>
    public IReadOnlyList<string> RootFolders { get; }

    public string State { get; }

    /// <summary>Every folder the layout names inside the state folder.</summary>
    public IEnumerable<string> StateFolders => [Manifests, Roots, Staging, Partials];

    /// <summary>Every file the layout names inside the state folder.</summary>
    public IEnumerable<string> StateFiles => [StateFile, Journal, Lock, Events, EventsHead, PinnedTrust, DebugAllowed];

    public string StateFile { get; }

    public string Manifests { get; }

    public string Lock { get; }

    public string Staging { get; }

    /// <summary>Interrupted downloads kept for the next run to continue (<c>partial/HEX</c> and <c>partial/HEX.json</c>); not part of any version.</summary>
    public string Partials { get; }

    public string Journal { get; }

    public string Events { get; }

    /// <summary>Line count and last-line hash of <see cref="Events"/>, written with every event.</summary>
    public string EventsHead { get; }

    /// <summary>The newest trust root the target has accepted (the one it verifies with), used by commands that are given none (swap, rollback).</summary>
    public string PinnedTrust { get; }

    /// <summary>Every trust root the target has accepted, <c>roots/N.json</c> as received, so that an earlier root of its chain is recognised.</summary>
    public string Roots { get; }

    public string RootFile(int version) => Path.Combine(Roots, version.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".json");

    /// <summary>The local switch that, with <c>SECURE_UPDATE_DEBUG=1</c>, permits debug-shell.</summary>
    public string DebugAllowed { get; }

    /// <summary>The folders the target writes files into atomically (a <c>.NAME.*.tmp</c> then a rename), where a dead process may leave temporary files.</summary>
    public IEnumerable<string> AtomicWriteFolders => [State, Manifests, Roots];

    public string ManifestFile(string version) => Path.Combine(Manifests, version + ".json");

    public string ManifestSignatureFile(string version) => Path.Combine(Manifests, version + ".json.sig");
}
