using SecureUpdate.Errors;
using SecureUpdate.Formats;

namespace SecureUpdate.Documents;

/// <summary>
/// Step 4 of the verification order: parses documents whose signatures have already been
/// verified, and checks everything about them that does not depend on the target.
/// </summary>
internal static class DocumentParser
{
    /// <summary>Parses a verified channel pointer.</summary>
    public static ChannelPointer ParseChannelPointer(ReadOnlySpan<byte> verifiedBytes)
    {
        var doc = Parse(verifiedBytes, SecureUpdateJsonContext.Default.ChannelPointerDocument, UpdateStage.Channel, "channel pointer");
        CheckHeader(doc.Schema, ChannelPointerDocument.SchemaName, doc.Version, UpdateStage.Channel, "channel pointer", out var version);

        if (!TryParseDigest(doc.ManifestSha256, out var digest))
        {
            throw Error.Malformed(UpdateStage.Channel, "channel pointer", "manifestSha256 is not 64 lowercase hex characters");
        }

        if (doc.ManifestSize <= 0)
        {
            throw Error.Malformed(UpdateStage.Channel, "channel pointer", "manifestSize is not positive");
        }

        if (doc.Rollout is < 0 or > 100)
        {
            throw Error.Malformed(UpdateStage.Channel, "channel pointer", "rollout is not a percentage from 0 to 100");
        }

        return new ChannelPointer(doc.App, doc.Channel, version, digest, doc.ManifestSize, doc.Expires, doc.Rollout ?? 100);
    }

    /// <summary>Parses a verified manifest and checks its paths and caps.</summary>
    public static ReleaseManifest ParseManifest(ReadOnlySpan<byte> verifiedBytes, ManifestLimits limits)
    {
        var doc = Parse(verifiedBytes, SecureUpdateJsonContext.Default.ManifestDocument, UpdateStage.Manifest, "manifest");
        CheckHeader(doc.Schema, ManifestDocument.SchemaName, doc.Version, UpdateStage.Manifest, "manifest", out var version);

        if (!Identifiers.IsValid(doc.App) || !Identifiers.IsValid(doc.Channel))
        {
            throw Error.Malformed(UpdateStage.Manifest, "manifest", "app or channel is not a valid identifier");
        }

        if (doc.Files.Any(f => f is null))
        {
            throw Error.Malformed(UpdateStage.Manifest, "manifest", "a file entry is null");
        }

        if (doc.Files.Count > limits.MaxFiles)
        {
            throw Error.TooManyFiles(doc.Files.Count, limits.MaxFiles);
        }

        var files = new List<ManifestFile>(doc.Files.Count);
        long total = 0;
        foreach (var entry in doc.Files)
        {
            if (!ManifestPathRules.IsSafe(entry.Path, out var reason))
            {
                throw Error.UnsafePath(entry.Path, reason);
            }

            if (entry.Size < 0)
            {
                throw Error.Malformed(UpdateStage.Manifest, "manifest", $"the size of '{Printable.Of(entry.Path)}' is negative");
            }

            if (entry.Size > limits.MaxTotalBytes - total)
            {
                throw Error.ReleaseTooLarge(limits.MaxTotalBytes);
            }

            if (!TryParseDigest(entry.Sha256, out var digest))
            {
                throw Error.Malformed(UpdateStage.Manifest, "manifest", $"the sha256 of '{Printable.Of(entry.Path)}' is not 64 lowercase hex characters");
            }

            total += entry.Size;
            files.Add(new ManifestFile(entry.Path, entry.Size, digest, entry.Executable));
        }

        var collision = ManifestPathRules.FindCollision(files.Select(f => f.Path).ToList());
        if (collision is not null)
        {
            throw Error.UnsafePath(collision, "it is named twice, or as both a file and a folder, ignoring case");
        }

        return new ReleaseManifest(doc.App, doc.Channel, version, doc.Published, doc.Expires, files);
    }

    /// <summary>Parses 64 lowercase hex characters.</summary>
    public static bool TryParseDigest(string? hex, out byte[] digest)
    {
        digest = [];
        if (hex is null || hex.Length != 64)
        {
            return false;
        }

        foreach (var c in hex)
        {
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f')))
            {
                return false;
            }
        }

        digest = Convert.FromHexString(hex);
        return true;
    }


    private static T Parse<T>(ReadOnlySpan<byte> verifiedBytes, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo, UpdateStage stage, string what)
        where T : class
    {
        try
        {
            return StrictJson.Parse(verifiedBytes, typeInfo);
        }
        catch (FormatException ex)
        {
            throw Error.Malformed(stage, what, ex.Message, ex);
        }
    }

    private static void CheckHeader(string schema, string expectedSchema, string versionText, UpdateStage stage, string what, out SemanticVersion version)
    {
        if (schema != expectedSchema)
        {
            throw Error.Malformed(stage, what, $"unknown schema '{Printable.Of(schema)}'");
        }

        if (!SemanticVersion.TryParse(versionText, out version!))
        {
            throw Error.Malformed(stage, what, $"'{Printable.Of(versionText)}' is not a SemVer version");
        }
    }

}
