using System.IO.Abstractions;
using SecureUpdate.Documents;
using SecureUpdate.Errors;
using SecureUpdate.Formats;
using SecureUpdate.Platform;

namespace SecureUpdate.Install;

/// <summary>A target's local state: app, channel, version floor, rolled-back versions and a pending health confirmation.</summary>
internal sealed record TargetState(string App, string Channel, SemanticVersion? Floor)
{
    private const int MaxBytes = 64 * 1024;

    /// <summary>Versions rolled back from: not installed again automatically (a newer release is needed).</summary>
    public IReadOnlyList<string> Rejected { get; init; } = [];

    /// <summary>For a single-file target: the version the file holds, or null.</summary>
    public string? Current { get; init; }

    /// <summary>A switched version that must still confirm itself healthy, or null.</summary>
    public PendingConfirmation? Pending { get; init; }

    /// <summary>Reads the state, or null when the target has none yet.</summary>
    public static TargetState? Read(IFileSystem fileSystem, TargetLayout paths)
    {
        if (!fileSystem.File.Exists(paths.StateFile))
        {
            return null;
        }

        var bytes = LocalFiles.ReadCapped(fileSystem, paths.StateFile, MaxBytes, "state file");
        try
        {
            var doc = StrictJson.Parse(bytes, SecureUpdateJsonContext.Default.StateDocument);
            if (doc.Schema != StateDocument.SchemaName || !Identifiers.IsValid(doc.App) || !Identifiers.IsValid(doc.Channel)
                || (doc.Rejected?.Any(r => r is null) ?? false))
            {
                throw new FormatException("unexpected content");
            }

            // Threat: a planted or edited state file. Every version here becomes a path (a version
            // folder, a kept manifest, a symlink target) or is compared with signed versions, so
            // each is checked exactly like a version from a signed document before anything uses it.
            SemanticVersion? floor = null;
            if (doc.Floor is not null && !SemanticVersion.TryParse(doc.Floor, out floor))
            {
                throw Error.LocalVersionInvalid("state file", paths.StateFile, "floor", doc.Floor);
            }

            if (doc.Current is not null)
            {
                RequireVersion(paths, "current version", doc.Current);
            }

            var pending = doc.PendingConfirmation is { } p ? new PendingConfirmation(p.Version, p.Previous, p.Deadline, p.StartsLeft) : null;
            foreach (var rejected in doc.Rejected ?? [])
            {
                RequireVersion(paths, "rejected version", rejected);
            }

            if (pending is not null)
            {
                RequireVersion(paths, "pending version", pending.Version);
                if (pending.Previous is not null)
                {
                    RequireVersion(paths, "previous version", pending.Previous);
                }
            }

            return new TargetState(doc.App, doc.Channel, floor) { Rejected = doc.Rejected ?? [], Pending = pending, Current = doc.Current };
        }
        catch (FormatException ex)
        {
            throw Error.StateDamaged("state file", paths.StateFile, ex.Message, ex);
        }
    }

    /// <summary>Whether <paramref name="version"/> was rejected: by SemVer precedence, so a rebuild (<c>1.2.0+rebuild</c>) of a rejected <c>1.2.0</c> is rejected too.</summary>
    public bool IsRejected(SemanticVersion version) =>
        Rejected.Any(r => SemanticVersion.TryParse(r, out var rejected) && rejected == version);

    /// <summary>Like <see cref="IsRejected(SemanticVersion)"/>, for a version read from the target (refused when it is not a version).</summary>
    public bool IsRejected(string version) => SemanticVersion.TryParse(version, out var parsed) ? IsRejected(parsed) : throw new FormatException("not a version");

    /// <summary>A copy with the floor raised to at least <paramref name="version"/>.</summary>
    public TargetState WithFloorAtLeast(SemanticVersion version) =>
        this with { Floor = Floor is { } floor && floor > version ? floor : version };

    /// <summary>A copy that also rejects <paramref name="version"/>.</summary>
    public TargetState Reject(string version) =>
        IsRejected(version) ? this : this with { Rejected = [.. Rejected, version] };

    private static void RequireVersion(TargetLayout paths, string field, string? value)
    {
        if (!SemanticVersion.TryParse(value, out _))
        {
            throw Error.LocalVersionInvalid("state file", paths.StateFile, field, value);
        }
    }

    /// <summary>Writes the state durably.</summary>
    public void Write(DiskOperations disk, TargetLayout paths)
    {
        var doc = new StateDocument
        {
            Schema = StateDocument.SchemaName,
            App = App,
            Channel = Channel,
            Floor = Floor?.ToString(),
            Current = Current,
            Rejected = Rejected.Count == 0 ? null : Rejected,
            PendingConfirmation = Pending is { } p
                ? new PendingConfirmationDocument { Version = p.Version, Previous = p.Previous, Deadline = p.Deadline, StartsLeft = p.StartsLeft }
                : null,
        };
        disk.WriteFileAtomic(paths.StateFile, StrictJson.Write(doc, SecureUpdateJsonContext.Default.StateDocument), DiskOperations.OwnerOnlyFile);
    }
}
