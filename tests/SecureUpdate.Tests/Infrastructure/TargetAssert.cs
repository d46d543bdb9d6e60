using System.Security.Cryptography;

namespace SecureUpdate.Tests.Infrastructure;

/// <summary>Assertions on the target layout that <c>apply</c> builds.</summary>
public static class TargetAssert
{
    /// <summary>The version <c>TARGET/current</c> points at; fails unless it is a relative symlink to <c>versions/VERSION</c>.</summary>
    public static string CurrentVersion(string target)
    {
        var current = new FileInfo(Path.Combine(target, "current"));
        current.LinkTarget.Should().NotBeNull("TARGET/current must be a symlink");
        var link = current.LinkTarget!;
        link.Should().StartWith("versions/", "TARGET/current must be a relative symlink to versions/<version>");
        return link["versions/".Length..].TrimEnd('/');
    }

    /// <summary>
    /// <c>current</c> points at <paramref name="version"/>, and <c>versions/VERSION</c> holds exactly the release's files,
    /// byte for byte, executables 0755 and others 0644.
    /// </summary>
    public static void ShouldHaveInstalled(string target, string version)
    {
        CurrentVersion(target).Should().Be(version);
        ShouldHoldExactly(Path.Combine(target, "versions", version), ReleaseInputs.Files(version));
    }

    /// <summary><paramref name="folder"/> holds exactly <paramref name="files"/> (content and mode) and no other file.</summary>
    public static void ShouldHoldExactly(string folder, IReadOnlyList<ForgedFile> files)
    {
        Directory.Exists(folder).Should().BeTrue("{0} should exist", folder);
        var actual = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(folder, path).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToArray();
        actual.Should().Equal(files.Select(file => file.Path).Order(StringComparer.Ordinal), "the version folder holds exactly the manifest's files");

        foreach (var file in files)
        {
            var path = Path.Combine(folder, file.Path);
            new FileInfo(path).LinkTarget.Should().BeNull("{0} must be a regular file, not a symlink", file.Path);
            Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))).Should().Be(file.Sha256, "{0} must be byte-identical to the release input", file.Path);
            if (!OperatingSystem.IsWindows())
            {
                File.GetUnixFileMode(path).Should().Be(
                    file.Executable ? ReleaseInputs.ExecutableMode : ReleaseInputs.RegularMode,
                    "{0} is {1}executable in the manifest", file.Path, file.Executable ? "" : "not ");
            }
        }
    }

    /// <summary>After a refused first install: no <c>current</c> and nothing under <c>versions/</c>.</summary>
    public static void ShouldHaveNoInstall(string target)
    {
        var current = new FileInfo(Path.Combine(target, "current"));
        (current.Exists || current.LinkTarget is not null || Directory.Exists(current.FullName)).Should().BeFalse("a refused first install leaves no TARGET/current");
        var versions = Path.Combine(target, "versions");
        if (Directory.Exists(versions))
        {
            Directory.EnumerateFileSystemEntries(versions).Should().BeEmpty("a refused first install leaves nothing under TARGET/versions");
        }
    }
}
