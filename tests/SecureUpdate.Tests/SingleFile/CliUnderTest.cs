using System.Runtime.InteropServices;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.SingleFile;

/// <summary>
/// The <c>secure-update</c> the process tests run, chosen exactly as <see cref="CliRunner"/> chooses it
/// (<c>SECURE_UPDATE_CLI</c>, else the JIT build), for tests that must start it themselves: with extra
/// environment, from a script, or as a copy that updates its own file.
/// </summary>
internal static class CliUnderTest
{
    private static readonly Lazy<(string FileName, string? Dll)> s_location = new(CliRunner.Locate);

    /// <summary>True when the published NativeAOT executable is under test; false for the JIT build (<c>dotnet secure-update.dll</c>).</summary>
    public static bool IsNative => s_location.Value.Dll is null;

    /// <summary>The file to execute: the native executable, or the dotnet host.</summary>
    public static string FileName => s_location.Value.FileName;

    /// <summary>The JIT build's <c>secure-update.dll</c>, or null for the native executable.</summary>
    public static string? Dll => s_location.Value.Dll;

    /// <summary>The program and leading arguments that start the CLI.</summary>
    public static IReadOnlyList<string> CommandLine => Dll is null ? [FileName] : [FileName, Dll];

    /// <summary>
    /// Copies the CLI under test into <paramref name="folder"/> so that it can run from there: the native executable
    /// alone (it carries libsodium and links OpenSSL statically), or the JIT build's assemblies, their runtime
    /// configuration and this platform's native assets. Returns the copied file that a self-update replaces.
    /// </summary>
    public static string CopyInto(string folder)
    {
        if (IsNative)
        {
            var executable = Path.Combine(folder, Path.GetFileName(FileName));
            CopyFile(FileName, executable);
            return executable;
        }

        var build = Path.GetDirectoryName(Dll)!;
        foreach (var file in Directory.EnumerateFiles(build).Where(f => f.EndsWith(".dll", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal)))
        {
            CopyFile(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        var nativeAssets = Path.Combine(build, "runtimes", RuntimeInformation.RuntimeIdentifier);
        if (Directory.Exists(nativeAssets))
        {
            DirectoryCopy.Copy(nativeAssets, Path.Combine(folder, "runtimes", RuntimeInformation.RuntimeIdentifier));
        }

        return Path.Combine(folder, Path.GetFileName(Dll)!);
    }

    /// <summary>The program and leading arguments that run a copy made by <see cref="CopyInto"/>.</summary>
    public static IReadOnlyList<string> CommandLineFor(string copy) => IsNative ? [copy] : [FileName, copy];

    private static void CopyFile(string source, string destination)
    {
        File.Copy(source, destination);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(destination, File.GetUnixFileMode(source));
        }
    }
}
