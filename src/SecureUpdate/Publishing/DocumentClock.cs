namespace SecureUpdate.Publishing;

/// <summary>The release side's one notion of "now" for documents.</summary>
internal static class DocumentClock
{
    /// <summary>The current UTC time in whole seconds: documents carry whole seconds in UTC.</summary>
    public static DateTimeOffset NowToTheSecond(this TimeProvider timeProvider)
    {
        var now = timeProvider.GetUtcNow();
        return new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
    }
}
