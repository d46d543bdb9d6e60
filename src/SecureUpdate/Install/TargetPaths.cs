namespace SecureUpdate.Install;

/// <summary>The install layout of one target (DESIGN.md, "Install layout").</summary>
internal sealed class TargetPaths
{
    public TargetPaths(string root)
        : this(Path.GetFullPath(root), null)
    {
    }

    private TargetPaths(string root, string? file)
    {
        Root = root;
        File = file;
        Current = Path.Combine(Root, "current");
        Versions = Path.Combine(Root, "versions");
        State = file is null ? Path.Combine(Root, ".secure-update") : Path.Combine(Root, $".{Path.GetFileName(file)}.secure-update");
        StateFile = Path.Combine(State, "state.json");
        Manifests = Path.Combine(State, "manifests");
        Lock = Path.Combine(State, "lock");
        Staging = Path.Combine(State, "staging");
        Journal = Path.Combine(State, "journal.json");
        Events = Path.Combine(State, "events.log");
        EventsHead = Path.Combine(State, "events.head");
        PinnedTrust = Path.Combine(State, "trust.json");
        DebugAllowed = Path.Combine(State, "debug-allowed");
    }

    public string Root { get; }

    /// <summary>For a single-file target, the file updated in place; its state sits beside it in <c>.NAME.secure-update/</c>.</summary>
    public string? File { get; }

    public string Current { get; }

    public string Versions { get; }

    public string State { get; }

    public string StateFile { get; }

    public string Manifests { get; }

    public string Lock { get; }

    public string Staging { get; }

    public string Journal { get; }

    public string Events { get; }

    /// <summary>Line count and last-line hash of <see cref="Events"/>, written with every event.</summary>
    public string EventsHead { get; }

    /// <summary>The trust root the target was installed with, used by commands that take no <c>--trust</c> (swap, rollback).</summary>
    public string PinnedTrust { get; }

    /// <summary>The local switch that, with <c>SECURE_UPDATE_DEBUG=1</c>, permits debug-shell.</summary>
    public string DebugAllowed { get; }

    /// <summary>The layout of a single-file target: <paramref name="file"/> and its state folder beside it.</summary>
    public static TargetPaths ForFile(string file)
    {
        var full = Path.GetFullPath(file);
        return new TargetPaths(Path.GetDirectoryName(full)!, full);
    }

    /// <summary>A single-file target's kept previous file, named by its version.</summary>
    public string PreviousFile(string version) => Path.Combine(State, "previous-" + version);

    public string VersionFolder(string version) => Path.Combine(Versions, version);

    public string ManifestFile(string version) => Path.Combine(Manifests, version + ".json");

    public string ManifestSignatureFile(string version) => Path.Combine(Manifests, version + ".json.sig");
}
