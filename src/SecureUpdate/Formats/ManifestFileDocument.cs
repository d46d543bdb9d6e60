namespace SecureUpdate.Formats;

/// <summary>One file entry of a <see cref="ManifestDocument"/>.</summary>
internal sealed class ManifestFileDocument
{
    public required string Path { get; init; }

    public required long Size { get; init; }

    public required string Sha256 { get; init; }

    public required bool Executable { get; init; }
}
