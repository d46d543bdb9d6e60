using System.Diagnostics;

namespace SecureUpdate.Tests.Companion;

/// <summary>
/// A real mount for the life of a test, undone when disposed: a small tmpfs (a disk that really
/// fills up) or a folder bind-mounted read-only onto itself (read-only media). Needs root (as here and in CI).
/// </summary>
internal sealed class TestMount : IDisposable
{
    private TestMount(string path)
    {
        Path = path;
    }

    public string Path { get; }

    /// <summary>Mounts a tmpfs of <paramref name="size"/> (mount syntax, e.g. <c>512k</c>) on <paramref name="path"/>; fails the test when it cannot.</summary>
    public static TestMount Tmpfs(string path, string size)
    {
        Directory.CreateDirectory(path);
        var (exitCode, output) = Run("mount", "-t", "tmpfs", "-o", $"size={size},mode=0755", "tmpfs", path);
        exitCode.Should().Be(0, "the disk-full tests mount a {0} tmpfs on {1} (they need root, as in CI); mount said: {2}", size, path, output);
        return new TestMount(path);
    }

    /// <summary>Makes <paramref name="path"/> (an existing folder) read-only until disposed; fails the test when it cannot.</summary>
    public static TestMount ReadOnlyBind(string path)
    {
        var (bound, output) = Run("mount", "--bind", path, path);
        bound.Should().Be(0, "the read-only tests bind-mount {0} onto itself (they need root, as in CI); mount said: {1}", path, output);
        var mount = new TestMount(path);
        var (remounted, remountOutput) = Run("mount", "-o", "remount,bind,ro", path);
        if (remounted != 0)
        {
            mount.Dispose();
        }

        remounted.Should().Be(0, "remounting {0} read-only must work; mount said: {1}", path, remountOutput);
        return mount;
    }

    public void Dispose()
    {
        var (exitCode, _) = Run("umount", Path);
        if (exitCode != 0)
        {
            // Something still holds a file in it: detach it now, the kernel frees it when released.
            Run("umount", "-l", Path);
        }
    }

    private static (int ExitCode, string Output) Run(string fileName, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(startInfo)!;
            var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output.Trim());
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (-1, ex.Message);
        }
    }
}
