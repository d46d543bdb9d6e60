using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Crash;

/// <summary>A release by version and the exact files (content and executable bit) its input folder held.</summary>
public sealed record ReleaseFiles(string Version, IReadOnlyList<ForgedFile> Files)
{
    /// <summary>One of the two releases of <see cref="ReleaseInputs"/>.</summary>
    public static ReleaseFiles Of(string version) => new(version, ReleaseInputs.Files(version));

    public override string ToString() => Version;
}
