namespace SecureUpdate.Formats;

/// <summary>The release role, which may also name verify-only keys: counted for installed versions, never for new releases.</summary>
internal sealed class ReleaseRoleDocument
{
    public required int Threshold { get; init; }

    public required IReadOnlyList<string> KeyIds { get; init; }

    public IReadOnlyList<string>? VerifyOnlyKeyIds { get; init; }
}
