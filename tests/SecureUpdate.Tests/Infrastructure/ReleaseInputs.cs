using System.Text;

namespace SecureUpdate.Tests.Infrastructure;

/// <summary>
/// The two releases every end-to-end and attack test uses. 1.1.0 changes some files of 1.0.0,
/// adds one, removes one and keeps one byte-identical.
/// </summary>
public static class ReleaseInputs
{
    public const string App = "demo";
    public const string Channel = "stable";
    public const string V1 = "1.0.0";
    public const string V2 = "1.1.0";

    /// <summary>Executable in both releases, changed.</summary>
    public const string Binary = "bin/demo";

    /// <summary>Changed.</summary>
    public const string Readme = "README.txt";

    /// <summary>A larger changed file (bodies cut short are cut in a meaningful place).</summary>
    public const string Library = "lib/libdemo.so";

    /// <summary>Identical in both releases: never downloaded again by the update.</summary>
    public const string Unchanged = "share/unchanged.dat";

    /// <summary>Only in 1.0.0.</summary>
    public const string Removed = "config/old.conf";

    /// <summary>Only in 1.1.0.</summary>
    public const string Added = "docs/added.txt";

    public static IReadOnlyList<ForgedFile> Version1 { get; } =
    [
        new(Binary, Encoding.UTF8.GetBytes("#!/bin/sh\necho demo 1.0.0\n"), executable: true),
        new(Readme, Encoding.UTF8.GetBytes("Demo 1.0.0\n")),
        new(Library, Bytes(seed: 1, length: 256 * 1024)),
        new(Unchanged, Bytes(seed: 3, length: 64 * 1024)),
        new(Removed, Encoding.UTF8.GetBytes("removed in 1.1.0\n")),
    ];

    public static IReadOnlyList<ForgedFile> Version2 { get; } =
    [
        new(Binary, Encoding.UTF8.GetBytes("#!/bin/sh\necho demo 1.1.0\n"), executable: true),
        new(Readme, Encoding.UTF8.GetBytes("Demo 1.1.0, with more to read\n")),
        new(Library, Bytes(seed: 2, length: 256 * 1024)),
        new(Unchanged, Bytes(seed: 3, length: 64 * 1024)),
        new(Added, Encoding.UTF8.GetBytes("added in 1.1.0\n")),
    ];

    /// <summary>The files of a version by its number.</summary>
    public static IReadOnlyList<ForgedFile> Files(string version) => version switch
    {
        V1 => Version1,
        V2 => Version2,
        _ => throw new ArgumentOutOfRangeException(nameof(version), version, "unknown test release"),
    };

    /// <summary>The file of a version at a manifest path.</summary>
    public static ForgedFile File(string version, string path) => Files(version).Single(file => file.Path == path);

    /// <summary>Writes <paramref name="files"/> into <paramref name="folder"/>, executables with mode 0755, others 0644.</summary>
    public static void WriteFolder(string folder, IEnumerable<ForgedFile> files)
    {
        foreach (var file in files)
        {
            var path = Path.Combine(folder, file.Path);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            System.IO.File.WriteAllBytes(path, file.Content);
            if (!OperatingSystem.IsWindows())
            {
                System.IO.File.SetUnixFileMode(path, file.Executable ? ExecutableMode : RegularMode);
            }
        }
    }

    /// <summary>0755: the mode of an executable release file, as written here and as installed.</summary>
    public const UnixFileMode ExecutableMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    /// <summary>0644: the mode of any other release file, as written here and as installed.</summary>
    public const UnixFileMode RegularMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary><paramref name="length"/> pseudo-random bytes, the same for a <paramref name="seed"/> in every run, so every run sees the same digests.</summary>
    public static byte[] Bytes(int seed, int length)
    {
        var bytes = new byte[length];
#pragma warning disable CA5394 // Test data, not a secret.
        new Random(seed).NextBytes(bytes);
#pragma warning restore CA5394
        return bytes;
    }
}
