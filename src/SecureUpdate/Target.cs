using SecureUpdate.Errors;

namespace SecureUpdate;

/// <summary>
/// Where an app is installed, and how: a folder target (<see cref="Folder"/>) or a single-file
/// target (<see cref="File"/>). Every <see cref="UpdateClient"/> operation takes one and works the
/// same for both kinds.
/// </summary>
public sealed record Target
{
    private Target(TargetKind kind, string path)
    {
        Kind = kind;
        Path = path;
    }

    /// <summary>The kind of target.</summary>
    public TargetKind Kind { get; }

    /// <summary>The full path of the target folder, or of the single file.</summary>
    public string Path { get; }

    /// <summary>A folder target: created on first install, holding <c>versions/</c> and a <c>current</c> symlink.</summary>
    /// <exception cref="ConfigurationException">The path is empty or not a valid path.</exception>
    public static Target Folder(string path) => new(TargetKind.Folder, FullPath(path));

    /// <summary>
    /// A single-file target: one executable replaced atomically by a release of exactly one file (the
    /// <c>tool self-update</c> case). Its folder must exist and be writable by its owner only.
    /// </summary>
    /// <exception cref="ConfigurationException">The path is empty, not a valid path, or ends in a separator (it names no file).</exception>
    public static Target File(string path)
    {
        var full = FullPath(path);

        // A file target needs a file name: "/" or "dir/" names a folder, whose state would have no sensible place.
        return System.IO.Path.GetFileName(full).Length == 0 ? throw Error.TargetPathInvalid(path) : new(TargetKind.File, full);
    }

    /// <inheritdoc/>
    public override string ToString() => Path;

    private static string FullPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            return path.Length == 0 ? throw Error.TargetPathInvalid(path) : System.IO.Path.GetFullPath(path);
        }
        catch (ArgumentException ex)
        {
            throw Error.TargetPathInvalid(path, ex);
        }
    }
}
