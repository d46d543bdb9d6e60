using System.Runtime.Versioning;
using System.Text.RegularExpressions;
using SecureUpdate.Tests.Infrastructure;
using SecureUpdate.Tests.SingleFile;

namespace SecureUpdate.Tests.SelfContained;

/// <summary>
/// A root folder holding only what a host without anything else offers: the executable, exactly the files <c>ldd</c> lists
/// for it (the C library family), <c>/tmp</c>, <c>/dev/urandom</c> and, when asked, a CA bundle. No <c>/proc</c>, no
/// <c>libssl</c>, no <c>libsodium.so</c>. <c>/dev/urandom</c> is there because the .NET runtime reads it for random
/// numbers (Guid.NewGuid, used to name temporary files); without it even <c>keygen</c> fails.
/// </summary>
[UnsupportedOSPlatform("windows")]
internal sealed partial class MinimalRoot : IDisposable
{
    /// <summary>The only shared libraries the one-file executable may need: the C library family.</summary>
    public static readonly IReadOnlySet<string> CLibraryFamily = new HashSet<string>(StringComparer.Ordinal)
    {
        "ld-linux-x86-64.so.2", "libc.so.6", "libm.so.6", "libdl.so.2", "libpthread.so.0", "librt.so.1",
    };

    private readonly TempFolder _temp = new();

    private MinimalRoot()
    {
    }

    /// <summary>The root folder on the host.</summary>
    public string Path => _temp.Path;

    /// <summary>The executable inside the root.</summary>
    public const string Executable = "/secure-update";

    /// <summary>The CA bundle inside the root.</summary>
    public const string CaBundle = "/etc/ssl/test-ca.pem";

    /// <summary>Builds the root around the published executable under test; <paramref name="withTmp"/> false leaves out <c>/tmp</c>.</summary>
    public static async Task<MinimalRoot> CreateAsync(string? caPem = null, bool withTmp = true)
    {
        var root = new MinimalRoot();
        File.SetUnixFileMode(root.Path, (UnixFileMode)0b111_101_101);
        Copy(CliUnderTest.FileName, root.Host(Executable));
        foreach (var library in await SharedLibrariesAsync(CliUnderTest.FileName))
        {
            Copy(library, root.Host(library));
        }

        if (withTmp)
        {
            var tmp = root.Host("/tmp");
            Directory.CreateDirectory(tmp);
            File.SetUnixFileMode(tmp, (UnixFileMode)0b1_111_111_111);
        }

        Directory.CreateDirectory(root.Host("/dev"));
        (await ProgramRunner.RunAsync(["mknod", "-m", "666", root.Host("/dev/urandom"), "c", "1", "9"])).ShouldExitWith(0);
        if (caPem is not null)
        {
            Directory.CreateDirectory(root.Host("/etc/ssl"));
            File.WriteAllText(root.Host(CaBundle), caPem);
        }

        return root;
    }

    /// <summary>The host path of <paramref name="inside"/>, a path inside the root.</summary>
    public string Host(string inside) => System.IO.Path.Combine(Path, inside.TrimStart('/'));

    /// <summary>Runs <paramref name="program"/> (a path inside the root) chrooted into the root.</summary>
    public Task<CliResult> RunAsync(string program, IReadOnlyDictionary<string, string>? environment, params string[] arguments) =>
        ProgramRunner.RunAsync(["chroot", Path, program, .. arguments], environment);

    /// <summary>The absolute paths of the shared libraries <c>ldd</c> lists for <paramref name="executable"/> (the vDSO aside).</summary>
    public static async Task<IReadOnlyList<string>> SharedLibrariesAsync(string executable)
    {
        var ldd = await ProgramRunner.RunAsync(["ldd", executable]);
        ldd.ShouldExitWith(0);
        return LddPath().Matches(ldd.Stdout).Select(m => m.Groups["path"].Value).Distinct(StringComparer.Ordinal).ToList();
    }

    public void Dispose() => _temp.Dispose();

    private static void Copy(string source, string destination)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(destination)!);
        File.Copy(source, destination);
        File.SetUnixFileMode(destination, File.GetUnixFileMode(source));
    }

    [GeneratedRegex(@"(?:=>\s*|^\s*)(?<path>/\S+)\s+\(0x", RegexOptions.Multiline)]
    private static partial Regex LddPath();
}
