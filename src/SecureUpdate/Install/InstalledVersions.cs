using System.IO.Abstractions;
using SecureUpdate.Manifests;

namespace SecureUpdate.Install;

/// <summary>Reads which versions a target holds and which one <c>current</c> points at, without following anything unexpected.</summary>
internal static class InstalledVersions
{
    /// <summary>
    /// The version <c>current</c> points at, or null when there is none. A <c>current</c> that is not
    /// a symlink to <c>versions/VERSION</c> inside the target is refused, never followed.
    /// </summary>
    public static string? ReadCurrent(IFileSystem fileSystem, TargetPaths paths)
    {
        // A planted symlink at versions/ would make every install write outside the target.
        if (fileSystem.FileInfo.New(paths.Versions).LinkTarget is not null)
        {
            throw new ConfigurationException(ErrorCode.Config, UpdateStage.Config, $"'{paths.Versions}' is a symlink; refusing to follow it.");
        }

        var info = fileSystem.FileInfo.New(paths.Current);
        if (!info.Exists && info.LinkTarget is null && !fileSystem.Directory.Exists(paths.Current))
        {
            return null;
        }

        var target = info.LinkTarget;
        if (target is null)
        {
            throw new ConfigurationException(ErrorCode.Config, UpdateStage.Config, $"'{paths.Current}' is not a symlink made by secure-update; refusing to touch the target.");
        }

        const string prefix = "versions/";
        var version = target.StartsWith(prefix, StringComparison.Ordinal) ? target[prefix.Length..] : null;
        if (version is null || !SemanticVersion.TryParse(version, out _) || !fileSystem.Directory.Exists(paths.VersionFolder(version))
            || fileSystem.FileInfo.New(paths.VersionFolder(version)).LinkTarget is not null)
        {
            throw new ConfigurationException(ErrorCode.Config, UpdateStage.Config, $"'{paths.Current}' points at '{target}', not at an installed version inside the target; refusing to follow it.");
        }

        return version;
    }

    /// <summary>Installed version folders (valid SemVer names only), highest first.</summary>
    public static IReadOnlyList<SemanticVersion> List(IFileSystem fileSystem, TargetPaths paths)
    {
        if (!fileSystem.Directory.Exists(paths.Versions))
        {
            return [];
        }

        var versions = new List<SemanticVersion>();
        foreach (var folder in fileSystem.Directory.EnumerateDirectories(paths.Versions))
        {
            if (SemanticVersion.TryParse(fileSystem.Path.GetFileName(folder), out var version))
            {
                versions.Add(version);
            }
        }

        versions.Sort((a, b) => b.CompareTo(a));
        return versions;
    }
}
