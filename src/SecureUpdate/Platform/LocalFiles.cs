using System.IO.Abstractions;
using SecureUpdate.Errors;

namespace SecureUpdate.Platform;

/// <summary>Reads small local files (keys, trust, state) with a size cap (threat: endless data, even from local files).</summary>
internal static class LocalFiles
{
    /// <summary>Reads at most <paramref name="cap"/> bytes of <paramref name="path"/>.</summary>
    /// <exception cref="ConfigurationException">The file is missing, unreadable or larger than the cap.</exception>
    public static byte[] ReadCapped(IFileSystem fileSystem, string path, int cap, string what)
    {
        try
        {
            using var stream = fileSystem.FileStream.New(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            var buffer = new byte[cap + 1];
            var total = 0;
            int read;
            while (total < buffer.Length && (read = stream.Read(buffer, total, buffer.Length - total)) > 0)
            {
                total += read;
            }

            if (total > cap)
            {
                throw Error.FileTooLarge(what, path, cap);
            }

            return buffer.AsSpan(0, total).ToArray();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Error.FileUnreadable(what, path, ex);
        }
    }
}
