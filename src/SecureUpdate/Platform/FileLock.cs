using Microsoft.Win32.SafeHandles;

namespace SecureUpdate.Platform;

/// <summary>
/// A held exclusive lock on a target's lock file (threat: two updaters at once). On Unix it is an
/// advisory <c>flock</c> on a descriptor opened without following a symlink; the kernel releases it
/// when the process dies, so a crashed command never leaves a target locked.
/// </summary>
internal sealed class FileLock : IDisposable
{
    private readonly SafeFileHandle _handle;

    internal FileLock(SafeFileHandle handle)
    {
        _handle = handle;
    }

    /// <summary>Releases the lock, explicitly before the descriptor is closed (see <see cref="DiskOperations.UnixUnlock"/>).</summary>
    public void Dispose()
    {
        if (!OperatingSystem.IsWindows() && !_handle.IsClosed)
        {
            DiskOperations.UnixUnlock(_handle);
        }

        _handle.Dispose();
    }
}
