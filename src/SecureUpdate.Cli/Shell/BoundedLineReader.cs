namespace SecureUpdate.Cli.Shell;

/// <summary>Reads lines of at most a fixed length, so an endless line cannot grow memory: the rest of a long line is read and dropped.</summary>
internal sealed class BoundedLineReader
{
    private readonly TextReader _reader;
    private readonly int _maxLength;

    public BoundedLineReader(TextReader reader, int maxLength)
    {
        _reader = reader;
        _maxLength = maxLength;
    }

    /// <summary>The next line (without its end), whether it was cut, or null at the end of input.</summary>
    public (string Line, bool TooLong)? ReadLine()
    {
        var builder = new System.Text.StringBuilder();
        var tooLong = false;
        int next;
        while ((next = _reader.Read()) >= 0)
        {
            if (next == '\n')
            {
                return (builder.ToString().TrimEnd('\r'), tooLong);
            }

            if (builder.Length < _maxLength)
            {
                builder.Append((char)next);
            }
            else
            {
                tooLong = true;
            }
        }

        return builder.Length == 0 && !tooLong ? null : (builder.ToString(), tooLong);
    }
}
