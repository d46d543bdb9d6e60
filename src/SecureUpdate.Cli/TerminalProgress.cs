namespace SecureUpdate.Cli;

/// <summary>
/// Draws <see cref="ProgressBar"/> lines on a terminal, each over the last (<c>\r</c>, then the
/// line, then erase to the end of the line), and ends the bar with a newline when the command is
/// done, so that the result or error line that follows starts on a line of its own. The bar has no
/// colours, so <c>NO_COLOR</c> changes nothing; it is drawn only on a terminal that understands
/// erasing (<see cref="ForStandardError"/>).
/// </summary>
internal sealed class TerminalProgress : IProgress<UpdateProgress>
{
    private const string EraseToEndOfLine = "\u001b[K";

    private readonly TextWriter _writer;
    private readonly ProgressBar _bar;
    private readonly int _width;
    private readonly Lock _lock = new();
    private bool _drawn;

    public TerminalProgress(TextWriter writer, TimeProvider timeProvider, int width = ProgressBar.MaxWidth)
    {
        _writer = writer;
        _bar = new ProgressBar(timeProvider);
        _width = Math.Clamp(width, 1, ProgressBar.MaxWidth);
    }

    /// <summary>
    /// A bar on stderr when it should be drawn: stderr is a terminal, <c>TERM</c> is not <c>dumb</c>,
    /// and <paramref name="disabled"/> (<c>--no-progress</c>) is false; otherwise null, and nothing
    /// extra is printed. <c>COLUMNS</c>, when set, narrows the line.
    /// </summary>
    public static TerminalProgress? ForStandardError(bool disabled, TimeProvider timeProvider)
    {
        if (disabled || Console.IsErrorRedirected || string.Equals(Environment.GetEnvironmentVariable("TERM"), "dumb", StringComparison.Ordinal))
        {
            return null;
        }

        var width = int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out var columns) && columns > 1 ? columns - 1 : ProgressBar.MaxWidth;
        return new TerminalProgress(Console.Error, timeProvider, width);
    }

    public void Report(UpdateProgress value)
    {
        var line = _bar.Render(value);
        if (line.Length > _width)
        {
            line = line[.._width];
        }

        lock (_lock)
        {
            _writer.Write("\r" + line + EraseToEndOfLine);
            _writer.Flush();
            _drawn = true;
        }
    }

    /// <summary>Ends the bar's line, when one was drawn; the last state stays visible.</summary>
    public void Finish()
    {
        lock (_lock)
        {
            if (_drawn)
            {
                _writer.Write('\n');
                _writer.Flush();
                _drawn = false;
            }
        }
    }
}
