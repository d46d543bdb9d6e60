namespace SecureUpdate.Install;

/// <summary>The install layout of one target (DESIGN.md, "Install layout").</summary>
internal sealed class TargetPaths
{
    public TargetPaths(string root)
    {
        Root = Path.GetFullPath(root);
        Current = Path.Combine(Root, "current");
        Versions = Path.Combine(Root, "versions");
        State = Path.Combine(Root, ".secure-update");
        StateFile = Path.Combine(State, "state.json");
        Manifests = Path.Combine(State, "manifests");
        Lock = Path.Combine(State, "lock");
        Staging = Path.Combine(State, "staging");
        Journal = Path.Combine(State, "journal.json");
        Events = Path.Combine(State, "events.log");
        PinnedTrust = Path.Combine(State, "trust.json");
    }

    public string Root { get; }

    public string Current { get; }

    public string Versions { get; }

    public string State { get; }

    public string StateFile { get; }

    public string Manifests { get; }

    public string Lock { get; }

    public string Staging { get; }

    public string Journal { get; }

    public string Events { get; }

    /// <summary>The trust root the target was installed with, used by commands that take no <c>--trust</c> (swap, rollback).</summary>
    public string PinnedTrust { get; }

    public string VersionFolder(string version) => Path.Combine(Versions, version);

    public string ManifestFile(string version) => Path.Combine(Manifests, version + ".json");

    public string ManifestSignatureFile(string version) => Path.Combine(Manifests, version + ".json.sig");
}
