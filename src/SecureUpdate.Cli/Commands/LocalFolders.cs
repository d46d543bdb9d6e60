using System.IO.Abstractions;
using SecureUpdate.Errors;

namespace SecureUpdate.Cli.Commands;

/// <summary>
/// Checks of local folders the command line names, made before a command writes anything, so that a
/// mistake is one clear usage error (exit 2) naming the option instead of a failure halfway through.
/// </summary>
internal static class LocalFolders
{
    /// <summary>Refuses a folder option (<c>--feed</c>, <c>--out</c>) that names an existing file.</summary>
    /// <exception cref="ConfigurationException">It is a file.</exception>
    public static void RequireNotAFile(IFileSystem fileSystem, string option, string path)
    {
        if (fileSystem.File.Exists(path))
        {
            throw Error.Config($"{option} '{Printable.Of(path)}' is a file; give a folder (it is created if missing).", path);
        }
    }

    /// <summary>
    /// Refuses an input folder holding a name that is not valid UTF-8: a release names its files in UTF-8 JSON,
    /// so such a name could never be installed under the name it has on disk.
    /// </summary>
    /// <exception cref="ConfigurationException">A name is not valid UTF-8.</exception>
    public static void RequireUtf8Names(IFileSystem fileSystem, string option, string input)
    {
        if (!fileSystem.Directory.Exists(input))
        {
            return;
        }

        // Dot files included; symlinks are not followed (a link to ".." would loop; the publisher refuses symlinks anyway).
        var pending = new Stack<IDirectoryInfo>([fileSystem.DirectoryInfo.New(input)]);
        while (pending.TryPop(out var folder))
        {
            foreach (var entry in folder.EnumerateFileSystemInfos("*", new EnumerationOptions { AttributesToSkip = FileAttributes.None, IgnoreInaccessible = true }))
            {
                // .NET decodes each byte that is not UTF-8 as U+FFFD; a name holding it cannot round-trip.
                if (entry.Name.Contains('\uFFFD', StringComparison.Ordinal))
                {
                    var shown = Printable.Of(fileSystem.Path.GetRelativePath(input, entry.FullName)).Replace("\uFFFD", "\\ufffd", StringComparison.Ordinal);
                    throw Error.Config($"{option} holds '{shown}', whose name is not valid UTF-8 (each invalid byte shown as \\ufffd); rename it before releasing.", entry.FullName);
                }

                if (entry is IDirectoryInfo child && entry.LinkTarget is null)
                {
                    pending.Push(child);
                }
            }
        }
    }
}
