using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace SecureUpdate.Tests.Infrastructure;

/// <summary>
/// Sets a variable in the process's C environment (<c>setenv</c>), which native libraries read with
/// <c>getenv</c>; <see cref="Environment.SetEnvironmentVariable(string, string?)"/> changes only .NET's own copy on Unix.
/// Process-wide: use only in a collection that runs alone.
/// </summary>
[UnsupportedOSPlatform("windows")]
internal static class NativeEnvironment
{
    /// <summary>Sets (or with null removes) <paramref name="name"/> for managed and native readers alike.</summary>
    public static void Set(string name, string? value)
    {
        var result = value is null ? UnsetEnv(name) : SetEnv(name, value, 1);
        if (result != 0)
        {
            throw new InvalidOperationException($"setenv {name} failed: errno {Marshal.GetLastPInvokeError()}");
        }

        Environment.SetEnvironmentVariable(name, value);
    }

    // DllImport, not LibraryImport: the generated stub would need unsafe code in the test project.
    [DllImport("libc", EntryPoint = "setenv", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SetEnv(string name, string value, int overwrite);

    [DllImport("libc", EntryPoint = "unsetenv", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int UnsetEnv(string name);
}
