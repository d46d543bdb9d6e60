using System.Diagnostics.CodeAnalysis;

namespace SecureUpdate.Documents;

/// <summary>
/// A SemVer 2.0 version, ordered and compared by SemVer precedence; build metadata is kept
/// in <see cref="ToString"/> but ignored by comparison and equality (SemVer 2.0 section 10).
/// </summary>
/// <remarks>
/// Parsing is exactly the semver.org 2.0.0 grammar: no leading <c>v</c>, no whitespace,
/// ASCII only, at most <see cref="MaxLength"/> characters. Numeric identifiers may be of any
/// length within that cap; they are compared as digit strings, never converted to integers.
/// </remarks>
internal sealed class SemanticVersion : IComparable<SemanticVersion>, IEquatable<SemanticVersion>
{
    /// <summary>Longest text accepted; longer input is refused before it is looked at.</summary>
    internal const int MaxLength = 256;

    // Numeric core identifiers and pre-release identifiers, as text. The precedence part
    // (everything before '+') is kept for equality and hashing: because numeric identifiers
    // cannot have leading zeros, two versions have equal precedence exactly when these texts
    // are ordinally equal (SemVer 2.0 sections 2, 9, 11).
    private readonly string _major;
    private readonly string _minor;
    private readonly string _patch;
    private readonly string[] _preRelease;
    private readonly string _precedenceText;

    private SemanticVersion(string text, string major, string minor, string patch, string[] preRelease, string precedenceText)
    {
        Text = text;
        _major = major;
        _minor = minor;
        _patch = patch;
        _preRelease = preRelease;
        _precedenceText = precedenceText;
    }

    private string Text { get; }

    /// <summary>Parses SemVer 2.0 text.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out SemanticVersion? version)
    {
        version = null;
        if (string.IsNullOrEmpty(text) || text.Length > MaxLength)
        {
            return false;
        }

        // SemVer 2.0 section 10: build metadata follows the first '+'; it is dot-separated
        // identifiers of [0-9A-Za-z-], never empty, leading zeros allowed.
        string precedenceText = text;
        int plus = text.IndexOf('+', StringComparison.Ordinal);
        if (plus >= 0)
        {
            if (!AreIdentifiers(text.AsSpan(plus + 1), numericMustBeCanonical: false))
            {
                return false;
            }

            precedenceText = text[..plus];
        }

        // SemVer 2.0 section 9: the pre-release follows the first '-' after the core (the core
        // holds only digits and dots, so the first '-' is the separator); identifiers are
        // non-empty, of [0-9A-Za-z-], and numeric ones have no leading zeros.
        string core = precedenceText;
        string[] preRelease = [];
        int dash = precedenceText.IndexOf('-', StringComparison.Ordinal);
        if (dash >= 0)
        {
            ReadOnlySpan<char> preReleaseText = precedenceText.AsSpan(dash + 1);
            if (!AreIdentifiers(preReleaseText, numericMustBeCanonical: true))
            {
                return false;
            }

            preRelease = preReleaseText.ToString().Split('.');
            core = precedenceText[..dash];
        }

        // SemVer 2.0 section 2: MAJOR.MINOR.PATCH, non-negative integers without leading zeros.
        string[] parts = core.Split('.');
        if (parts.Length != 3 || !IsNumericIdentifier(parts[0]) || !IsNumericIdentifier(parts[1]) || !IsNumericIdentifier(parts[2]))
        {
            return false;
        }

        version = new SemanticVersion(text, parts[0], parts[1], parts[2], preRelease, precedenceText);
        return true;
    }

    /// <summary>Parses SemVer 2.0 text or throws <see cref="FormatException"/>.</summary>
    public static SemanticVersion Parse(string text) => TryParse(text, out var v) ? v : throw new FormatException("Not a SemVer 2.0 version.");

    /// <inheritdoc />
    public int CompareTo(SemanticVersion? other)
    {
        if (other is null)
        {
            return 1;
        }

        if (ReferenceEquals(this, other))
        {
            return 0;
        }

        // SemVer 2.0 section 11.2: major, minor, patch compared numerically, in that order.
        int result = CompareNumeric(_major, other._major);
        if (result == 0)
        {
            result = CompareNumeric(_minor, other._minor);
        }

        if (result == 0)
        {
            result = CompareNumeric(_patch, other._patch);
        }

        if (result != 0)
        {
            return result;
        }

        // Section 11.3: a pre-release has lower precedence than the release itself.
        if (_preRelease.Length == 0 || other._preRelease.Length == 0)
        {
            return Math.Sign(other._preRelease.Length - _preRelease.Length);
        }

        // Section 11.4: identifier by identifier; a shorter set is lower when all before are equal.
        int common = Math.Min(_preRelease.Length, other._preRelease.Length);
        for (int i = 0; i < common; i++)
        {
            result = ComparePreReleaseIdentifier(_preRelease[i], other._preRelease[i]);
            if (result != 0)
            {
                return result;
            }
        }

        return Math.Sign(_preRelease.Length - other._preRelease.Length);
    }

    /// <inheritdoc />
    public bool Equals(SemanticVersion? other) => other is not null && string.Equals(_precedenceText, other._precedenceText, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as SemanticVersion);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_precedenceText);

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

    // Section 11.4.1-3: numeric identifiers compare numerically and always below alphanumeric
    // ones; alphanumeric identifiers compare lexically in ASCII order.
    private static int ComparePreReleaseIdentifier(string left, string right)
    {
        bool leftNumeric = IsAllDigits(left);
        bool rightNumeric = IsAllDigits(right);
        if (leftNumeric && rightNumeric)
        {
            return CompareNumeric(left, right);
        }

        if (leftNumeric != rightNumeric)
        {
            return leftNumeric ? -1 : 1;
        }

        return Math.Sign(string.CompareOrdinal(left, right));
    }

    // Both are canonical digit strings (no leading zeros), so the longer is the larger and
    // equal lengths compare digit by digit; no size limit and no overflow.
    private static int CompareNumeric(string left, string right)
    {
        if (left.Length != right.Length)
        {
            return left.Length < right.Length ? -1 : 1;
        }

        return Math.Sign(string.CompareOrdinal(left, right));
    }

    private static bool AreIdentifiers(ReadOnlySpan<char> text, bool numericMustBeCanonical)
    {
        if (text.IsEmpty)
        {
            return false;
        }

        foreach (Range range in text.Split('.'))
        {
            ReadOnlySpan<char> identifier = text[range];
            if (identifier.IsEmpty)
            {
                return false;
            }

            foreach (char c in identifier)
            {
                if (!char.IsAsciiLetterOrDigit(c) && c != '-')
                {
                    return false;
                }
            }

            if (numericMustBeCanonical && IsAllDigits(identifier) && !IsNumericIdentifier(identifier))
            {
                return false;
            }
        }

        return true;
    }

    // SemVer BNF <numeric identifier>: "0" or a positive digit followed by digits.
    private static bool IsNumericIdentifier(ReadOnlySpan<char> text) =>
        !text.IsEmpty && IsAllDigits(text) && (text.Length == 1 || text[0] != '0');

    private static bool IsAllDigits(ReadOnlySpan<char> text)
    {
        foreach (char c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return !text.IsEmpty;
    }
}
