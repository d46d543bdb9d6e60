using System.Diagnostics.CodeAnalysis;

namespace SecureUpdate.Manifests;

/// <summary>
/// A SemVer 2.0 version, ordered and compared by SemVer precedence; build metadata is kept
/// in <see cref="ToString"/> but ignored by comparison and equality (SemVer 2.0 section 10).
/// </summary>
public sealed class SemanticVersion : IComparable<SemanticVersion>, IEquatable<SemanticVersion>
{
    private SemanticVersion(string text)
    {
        Text = text;
    }

    private string Text { get; }

    /// <summary>Parses SemVer 2.0 text.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out SemanticVersion? version)
    {
        throw new NotImplementedException();
    }

    /// <summary>Parses SemVer 2.0 text or throws <see cref="FormatException"/>.</summary>
    public static SemanticVersion Parse(string text) => TryParse(text, out var v) ? v : throw new FormatException("Not a SemVer 2.0 version.");

    /// <inheritdoc />
    public int CompareTo(SemanticVersion? other) => throw new NotImplementedException();

    /// <inheritdoc />
    public bool Equals(SemanticVersion? other) => throw new NotImplementedException();

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as SemanticVersion);

    /// <inheritdoc />
    public override int GetHashCode() => throw new NotImplementedException();

    /// <inheritdoc />
    public override string ToString() => Text;

    /// <summary>Equal by SemVer precedence (build metadata ignored).</summary>
    public static bool operator ==(SemanticVersion? left, SemanticVersion? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Not equal by SemVer precedence.</summary>
    public static bool operator !=(SemanticVersion? left, SemanticVersion? right) => !(left == right);

    /// <summary>Lower precedence.</summary>
    public static bool operator <(SemanticVersion? left, SemanticVersion? right) => Compare(left, right) < 0;

    /// <summary>Lower or equal precedence.</summary>
    public static bool operator <=(SemanticVersion? left, SemanticVersion? right) => Compare(left, right) <= 0;

    /// <summary>Higher precedence.</summary>
    public static bool operator >(SemanticVersion? left, SemanticVersion? right) => Compare(left, right) > 0;

    /// <summary>Higher or equal precedence.</summary>
    public static bool operator >=(SemanticVersion? left, SemanticVersion? right) => Compare(left, right) >= 0;

    private static int Compare(SemanticVersion? left, SemanticVersion? right) => left is null ? (right is null ? 0 : -1) : left.CompareTo(right);
}
