using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace SecureUpdate.Tests.Infrastructure;

/// <summary>Sets the process umask for a scope and restores it. Use only in <see cref="ProcessWideState"/>.</summary>
[UnsupportedOSPlatform("windows")]
internal sealed class Umask : IDisposable
{
    private readonly uint _previous;

    public Umask(uint mask)
    {
        _previous = SetMask(mask);
    }

    public void Dispose() => _ = SetMask(_previous);

    // DllImport, not LibraryImport: the generated stub would need unsafe code in the test project.
    [DllImport("libc", EntryPoint = "umask")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern uint SetMask(uint mask);
}
