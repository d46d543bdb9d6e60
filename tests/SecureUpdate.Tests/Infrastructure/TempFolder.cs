namespace SecureUpdate.Tests.Infrastructure;

/// <summary>A fresh folder under the system temp folder that deletes itself, whatever the test left in it.</summary>
public sealed class TempFolder : IDisposable
{
    private static readonly string s_base = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "secure-update-tests");

    public TempFolder()
    {
        Path = System.IO.Path.Combine(s_base, Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    /// <summary>The absolute path of the folder.</summary>
    public string Path { get; }

    /// <summary>Combines <paramref name="parts"/> under the folder.</summary>
    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Creates (if needed) and returns a sub-folder.</summary>
    public string CreateFolder(params string[] parts)
    {
        var path = Combine(parts);
        Directory.CreateDirectory(path);
        return path;
    }

    public void Dispose() => DeleteTree(Path);

    /// <summary>Deletes a folder tree, first making every folder writable so nothing a test chmod-ed survives.</summary>
    public static void DeleteTree(string path)
    {
        if (!Directory.Exists(path))
        {
            return;
        }

        try
        {
            MakeWritable(new DirectoryInfo(path));
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a process a test could not stop may still hold a file.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static void MakeWritable(DirectoryInfo directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        directory.UnixFileMode |= UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        foreach (var child in directory.EnumerateDirectories())
        {
            if (child.LinkTarget is null)
            {
                MakeWritable(child);
            }
        }
    }
}
