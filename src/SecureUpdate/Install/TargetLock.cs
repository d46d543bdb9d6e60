namespace SecureUpdate.Install;

/// <summary>
/// The exclusive per-target lock (threat: two updaters at once). On Unix, .NET takes an advisory
/// <c>flock</c> for <see cref="FileShare.None"/>; it is released by the kernel if the process dies.
/// </summary>
internal sealed class TargetLock : IDisposable
{
    private readonly FileStream _stream;

    private TargetLock(FileStream stream)
    {
        _stream = stream;
    }

    /// <summary>Takes the lock at once or throws <see cref="TargetLockedException"/>.</summary>
    public static TargetLock Acquire(TargetPaths paths)
    {
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = IO.DiskOperations.OwnerOnlyFile;
            }

            return new TargetLock(new FileStream(paths.Lock, options));
        }
        catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new TargetLockedException(ErrorCode.Locked, UpdateStage.Lock, $"Another secure-update command is working on '{paths.Root}'; try again when it has finished.", ex);
        }
    }

    public void Dispose() => _stream.Dispose();
}
