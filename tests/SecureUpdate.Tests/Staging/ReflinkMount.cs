namespace SecureUpdate.Tests.Staging;

/// <summary>
/// A real XFS file system with reflink (<c>mkfs.xfs -m reflink=1</c>) in a sparse image, loop-mounted for the life
/// of a test: the disk this machine has (ext4) cannot share extents, so the clone path is proven here. Needs root and
/// xfsprogs (test.sh installs it when missing); fails the test, never skips, when it cannot be made.
/// </summary>
internal sealed class ReflinkMount : IDisposable
{
    private readonly string _image;

    private ReflinkMount(string image, string path)
    {
        _image = image;
        Path = path;
    }

    public string Path { get; }

    public static ReflinkMount Create(string folder)
    {
        Directory.CreateDirectory(folder);
        var image = System.IO.Path.Combine(folder, "xfs.img");
        var path = System.IO.Path.Combine(folder, "mnt");
        Directory.CreateDirectory(path);

        // 512 MiB sparse: xfsprogs refuses file systems under 300 MB; only what is written takes space.
        using (var stream = new FileStream(image, FileMode.CreateNew))
        {
            stream.SetLength(512L * 1024 * 1024);
        }

        var (made, makeOutput) = HostCommand.Run("mkfs.xfs", "-q", "-f", "-m", "reflink=1", image);
        made.Should().Be(0, "the reflink tests make an XFS file system with reflink (xfsprogs; test.sh installs it); mkfs.xfs said: {0}", makeOutput);
        var (mounted, mountOutput) = HostCommand.Run("mount", "-o", "loop", image, path);
        mounted.Should().Be(0, "the reflink tests loop-mount an XFS image (they need root, as in CI); mount said: {0}", mountOutput);
        return new ReflinkMount(image, path);
    }

    public void Dispose()
    {
        if (HostCommand.Run("umount", Path).ExitCode != 0)
        {
            // Something still holds a file in it: detach it now, the kernel frees it (and its loop device) when released.
            HostCommand.Run("umount", "-l", Path);
        }

        File.Delete(_image);
    }
}
