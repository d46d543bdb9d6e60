using System.Text;

namespace SecureUpdate.Documents;

/// <summary>Rules for the relative file paths a manifest may name (threat: path traversal).</summary>
internal static class ManifestPathRules
{
    /// <summary>Longest path accepted, in UTF-8 bytes.</summary>
    internal const int MaxPathBytes = 4096;

    /// <summary>Longest path segment accepted, in UTF-8 bytes (the usual file-name limit).</summary>
    internal const int MaxSegmentBytes = 255;

    /// <summary>True when <paramref name="path"/> is a safe relative path; otherwise false and a short reason.</summary>
    /// <remarks>
    /// A safe path is relative, '/'-separated and normalised (docs/formats.md, "path"). The
    /// reason is a short lowercase phrase that completes "path 'x' ...", e.g. "contains a '..' segment".
    /// Windows device names are refused as a segment or as the stem before the first '.'
    /// (<c>con.txt</c>, <c>NUL.tar.gz</c>), including <c>COM0</c>/<c>LPT0</c>, the superscript
    /// digits ¹²³, and <c>CONIN$</c>/<c>CONOUT$</c>, whatever the case.
    /// </remarks>
    public static bool IsSafe(string path, out string reason)
    {
        reason = Check(path) ?? string.Empty;
        return reason.Length == 0;
    }

    /// <summary>Returns a path that collides with another (equal but for case, or a file that is also a folder of another path), or null.</summary>
    /// <remarks>
    /// Paths are compared as case-insensitive file systems do (<see cref="StringComparison.OrdinalIgnoreCase"/>),
    /// segment by segment. Exact duplicates collide too. When several paths collide, the one listed
    /// first is returned. O(n log n) comparisons, each bounded by the path length.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="paths"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="paths"/> holds a null entry.</exception>
    public static string? FindCollision(IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);

        int count = paths.Count;
        var order = new int[count];
        for (int i = 0; i < count; i++)
        {
            if (paths[i] is null)
            {
                throw new ArgumentException("The list of paths holds a null entry.", nameof(paths));
            }

            order[i] = i;
        }

        // Sorting segment by segment puts every path directly before the block of paths that lie
        // under it ("bin", "bin/a", "bin/b", "bin-x"), which a plain string sort does not, since
        // '-' sorts before '/'. A stack of the paths that are folders of (or equal to) the current
        // one then finds every collision in one pass.
        Array.Sort(order, (left, right) => CompareBySegment(paths[left], paths[right]));

        var collides = new bool[count];
        var ancestors = new Stack<int>();
        foreach (int index in order)
        {
            string current = paths[index];
            while (ancestors.Count > 0 && !IsSameOrFolderOf(paths[ancestors.Peek()], current))
            {
                ancestors.Pop();
            }

            if (ancestors.Count > 0)
            {
                collides[index] = true;
                collides[ancestors.Peek()] = true;
            }

            ancestors.Push(index);
        }

        for (int i = 0; i < count; i++)
        {
            if (collides[i])
            {
                return paths[i];
            }
        }

        return null;
    }

    private static string? Check(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return "is empty";
        }

        // Every UTF-16 code unit is at least one UTF-8 byte: refuse huge input before scanning it.
        if (path.Length > MaxPathBytes)
        {
            return $"is longer than {MaxPathBytes} bytes";
        }

        string? characterProblem = CheckCharacters(path);
        if (characterProblem is not null)
        {
            return characterProblem;
        }

        // Surrogates are known to be paired here, so the UTF-8 count is exact.
        if (Encoding.UTF8.GetByteCount(path) > MaxPathBytes)
        {
            return $"is longer than {MaxPathBytes} bytes";
        }

        if (path[0] == '/')
        {
            return "is absolute (starts with '/')";
        }

        if (path[^1] == '/')
        {
            return "ends with '/'";
        }

        ReadOnlySpan<char> text = path;
        foreach (Range range in text.Split('/'))
        {
            string? segmentProblem = CheckSegment(text[range]);
            if (segmentProblem is not null)
            {
                return segmentProblem;
            }
        }

        return null;
    }

    private static string? CheckCharacters(string path)
    {
        for (int i = 0; i < path.Length; i++)
        {
            char c = path[i];

            // C0 controls, DEL and the C1 controls (U+0080-U+009F).
            if (c < '\u0020' || (c >= '\u007F' && c <= '\u009F'))
            {
                return "contains a control character";
            }

            if (c == '\\')
            {
                return "contains a backslash";
            }

            // Drive letters ("C:"), NTFS alternate data streams ("file:stream"), device suffixes ("CON:").
            if (c == ':')
            {
                return "contains a ':'";
            }

            // Characters Windows refuses in names: a release must install the same everywhere.
            if (c is '<' or '>' or '"' or '|' or '?' or '*')
            {
                return "contains a character windows refuses in file names";
            }

            // Bidirectional and invisible format characters can make a path read as another one
            // in a review or a log (for example U+202E turns "gpj.exe" into "exe.jpg").
            if (c is (>= '\u200B' and <= '\u200F') or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069') or '\uFEFF')
            {
                return "contains an invisible or bidirectional format character";
            }

            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < path.Length && char.IsLowSurrogate(path[i + 1]))
                {
                    i++;
                    continue;
                }

                return "contains an unpaired surrogate";
            }

            if (char.IsLowSurrogate(c))
            {
                return "contains an unpaired surrogate";
            }
        }

        return null;
    }

    private static string? CheckSegment(ReadOnlySpan<char> segment)
    {
        if (segment.IsEmpty)
        {
            return "contains an empty segment";
        }

        if (segment is ".")
        {
            return "contains a '.' segment";
        }

        if (segment is "..")
        {
            return "contains a '..' segment";
        }

        // Windows silently strips a trailing dot or space, so "a." would land on "a".
        if (segment[^1] == '.')
        {
            return "has a segment ending in '.'";
        }

        if (segment[^1] == ' ')
        {
            return "has a segment ending in a space";
        }

        if (IsWindowsDeviceName(segment))
        {
            return "contains a windows device name";
        }

        if (Encoding.UTF8.GetByteCount(segment) > MaxSegmentBytes)
        {
            return $"has a segment longer than {MaxSegmentBytes} bytes";
        }

        return null;
    }

    // Win32 treats a name as a device when its stem (the part before the first '.', trailing
    // spaces removed) is a device name, whatever the case and whatever the extension.
    private static bool IsWindowsDeviceName(ReadOnlySpan<char> segment)
    {
        int dot = segment.IndexOf('.');
        ReadOnlySpan<char> stem = (dot >= 0 ? segment[..dot] : segment).TrimEnd(' ');

        if (stem.Length == 3)
        {
            return IsAsciiIgnoreCase(stem, "con") || IsAsciiIgnoreCase(stem, "prn")
                || IsAsciiIgnoreCase(stem, "aux") || IsAsciiIgnoreCase(stem, "nul");
        }

        if (stem.Length == 4 && (IsAsciiIgnoreCase(stem[..3], "com") || IsAsciiIgnoreCase(stem[..3], "lpt")))
        {
            char digit = stem[3];
            return char.IsAsciiDigit(digit) || digit is '\u00B9' or '\u00B2' or '\u00B3';
        }

        if (stem.Length is 6 or 7)
        {
            return IsAsciiIgnoreCase(stem, "conin$") || IsAsciiIgnoreCase(stem, "conout$");
        }

        return false;
    }

    // ASCII-only case folding: device-name matching must not depend on Unicode case tables.
    private static bool IsAsciiIgnoreCase(ReadOnlySpan<char> text, string lowerAscii)
    {
        if (text.Length != lowerAscii.Length)
        {
            return false;
        }

        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsAsciiLetterUpper(c))
            {
                c = (char)(c | 0x20);
            }

            if (c != lowerAscii[i])
            {
                return false;
            }
        }

        return true;
    }

    // Lexicographic order of the segment sequences, each segment compared with OrdinalIgnoreCase;
    // a path sorts directly before every path that has it as a folder.
    private static int CompareBySegment(string left, string right)
    {
        int leftStart = 0;
        int rightStart = 0;
        while (true)
        {
            bool leftDone = leftStart > left.Length;
            bool rightDone = rightStart > right.Length;
            if (leftDone || rightDone)
            {
                return leftDone == rightDone ? 0 : (leftDone ? -1 : 1);
            }

            int leftEnd = SegmentEnd(left, leftStart);
            int rightEnd = SegmentEnd(right, rightStart);
            int result = left.AsSpan(leftStart, leftEnd - leftStart).CompareTo(right.AsSpan(rightStart, rightEnd - rightStart), StringComparison.OrdinalIgnoreCase);
            if (result != 0)
            {
                return result;
            }

            leftStart = leftEnd + 1;
            rightStart = rightEnd + 1;
        }
    }

    private static int SegmentEnd(string path, int start)
    {
        int slash = path.IndexOf('/', start);
        return slash < 0 ? path.Length : slash;
    }

    // True when the segments of ancestor are the first segments of path (all of them, or all
    // but more), ignoring case: equal but for case, or a folder of it.
    private static bool IsSameOrFolderOf(string ancestor, string path)
    {
        if (path.Length < ancestor.Length)
        {
            return false;
        }

        if (path.Length > ancestor.Length && path[ancestor.Length] != '/')
        {
            return false;
        }

        return path.AsSpan(0, ancestor.Length).Equals(ancestor, StringComparison.OrdinalIgnoreCase);
    }
}
