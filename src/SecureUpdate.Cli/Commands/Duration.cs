namespace SecureUpdate.Cli.Commands;

/// <summary>A duration given on the command line, kept with the text it was written as, so that help shows defaults the way users write them (<c>30m</c>, not <c>00:30:00</c>).</summary>
/// <param name="Value">The duration.</param>
/// <param name="Text">How it was written: <c>30s</c>, <c>10m</c>, <c>12h</c>, <c>30d</c>.</param>
internal readonly record struct Duration(TimeSpan Value, string Text)
{
    /// <inheritdoc/>
    public override string ToString() => Text;
}
