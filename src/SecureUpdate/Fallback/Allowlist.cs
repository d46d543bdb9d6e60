using System.Security.Cryptography;
using SecureUpdate.Documents;
using SecureUpdate.Errors;
using SecureUpdate.Formats;
using SecureUpdate.Platform;

namespace SecureUpdate.Fallback;

/// <summary>
/// The hash-allowlist fallback's local file (<c>secure-update/allowlist/v1</c>): manifest digests,
/// each accepted until it expires although its signatures fail. It is read only when only its
/// owner can change it, because an entry stands in for a signature.
/// </summary>
internal sealed class Allowlist
{
    /// <summary>Largest allowlist read.</summary>
    public const int MaxBytes = 256 * 1024;

    /// <summary>Most entries accepted.</summary>
    public const int MaxEntries = 1024;

    private readonly IReadOnlyList<AllowlistEntry> _entries;

    private Allowlist(string path, IReadOnlyList<AllowlistEntry> entries)
    {
        Path = path;
        _entries = entries;
    }

    /// <summary>Where it was read from.</summary>
    public string Path { get; }

    /// <summary>Reads and checks the allowlist at <paramref name="path"/>.</summary>
    /// <exception cref="ConfigurationException">It is missing, not owner-only, or not a valid allowlist.</exception>
    public static Allowlist Load(DiskOperations disk, string path)
    {
        var bytes = disk.ReadOwnerOnlyFile(path, MaxBytes, "allowlist");
        AllowlistDocument document;
        try
        {
            document = StrictJson.Parse(bytes, SecureUpdateJsonContext.Default.AllowlistDocument);
        }
        catch (FormatException ex)
        {
            throw Invalid(path, ex.Message, ex);
        }

        if (document.Schema != AllowlistDocument.SchemaName)
        {
            throw Invalid(path, $"the schema is not {AllowlistDocument.SchemaName}");
        }

        if (document.Entries.Count > MaxEntries)
        {
            throw Invalid(path, $"it has more than {MaxEntries} entries");
        }

        var entries = new List<AllowlistEntry>(document.Entries.Count);
        foreach (var entry in document.Entries)
        {
            if (entry is null || !DocumentParser.TryParseDigest(entry.ManifestSha256, out _))
            {
                throw Invalid(path, $"entry {entries.Count + 1} has no manifestSha256 of 64 lowercase hex characters");
            }

            entries.Add(new AllowlistEntry(entry.ManifestSha256, entry.Expires, entry.Note is null ? null : Printable.Of(entry.Note)));
        }

        return new Allowlist(System.IO.Path.GetFullPath(path), entries);
    }

    /// <summary>The entry that lists <paramref name="manifestSha256"/> and has not expired at <paramref name="now"/>; otherwise null and why.</summary>
    public AllowlistEntry? Find(ReadOnlySpan<byte> manifestSha256, DateTimeOffset now, out string why)
    {
        var hex = Convert.ToHexStringLower(manifestSha256);
        var listed = _entries.Where(e => string.Equals(e.ManifestSha256, hex, StringComparison.Ordinal)).ToList();
        var valid = listed.Where(e => now < e.Expires).OrderByDescending(e => e.Expires).FirstOrDefault();
        why = valid is not null ? ""
            : listed.Count == 0 ? $"manifest sha256 {hex} is not in the allowlist '{Path}'"
            : $"the allowlist entry for manifest sha256 {hex} expired at {Format(listed.Max(e => e.Expires))}";
        return valid;
    }

    /// <summary>The entry for the exact bytes of a manifest, as <see cref="Find"/>.</summary>
    public AllowlistEntry? FindManifest(ReadOnlySpan<byte> manifestBytes, DateTimeOffset now, out string why) =>
        Find(SHA256.HashData(manifestBytes), now, out why);

    /// <summary>An instant as the documents write it: UTC, seconds, <c>Z</c>.</summary>
    public static string Format(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static ConfigurationException Invalid(string path, string reason, Exception? inner = null) =>
        Error.FileInvalid("allowlist", path, reason, inner);
}
