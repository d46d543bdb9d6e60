namespace SecureUpdate.Formats;

/// <summary>The roles of a trust root: who signs trust roots, and who signs releases.</summary>
internal sealed class RootRolesDocument
{
    /// <summary>Keys and threshold that sign trust root documents.</summary>
    public required RoleDocument Root { get; init; }

    /// <summary>Keys and threshold that sign manifests and channel pointers.</summary>
    public required ReleaseRoleDocument Release { get; init; }
}
