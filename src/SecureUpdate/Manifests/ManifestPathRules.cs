namespace SecureUpdate.Manifests;

/// <summary>Rules for the relative file paths a manifest may name (threat: path traversal).</summary>
internal static class ManifestPathRules
{
    /// <summary>True when <paramref name="path"/> is a safe relative path; otherwise false and a short reason.</summary>
    public static bool IsSafe(string path, out string reason) => throw new NotImplementedException();

    /// <summary>Returns a path that collides with another (equal but for case, or a file that is also a folder of another path), or null.</summary>
    public static string? FindCollision(IReadOnlyList<string> paths) => throw new NotImplementedException();
}
