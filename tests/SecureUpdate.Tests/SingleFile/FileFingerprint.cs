using System.Security.Cryptography;

namespace SecureUpdate.Tests.SingleFile;

/// <summary>What a refused command must not change about one path: its kind, content digest, mode and, for a symlink, its text.</summary>
internal sealed record FileFingerprint(bool Exists, string? LinkTarget, string? Sha256, UnixFileMode Mode)
{
    /// <summary>Captures <paramref name="path"/> without following a symlink at it.</summary>
    public static FileFingerprint Of(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is { } linkTarget)
        {
            return new FileFingerprint(true, linkTarget, null, 0);
        }

        if (!info.Exists)
        {
            return new FileFingerprint(false, null, null, 0);
        }

        using var stream = File.OpenRead(path);
        return new FileFingerprint(true, null, Convert.ToHexStringLower(SHA256.HashData(stream)), OperatingSystem.IsWindows() ? 0 : info.UnixFileMode);
    }
}
