namespace SecureUpdate.Platform;

/// <content>
/// Pause points for the race tests. Armed only by <c>SECURE_UPDATE_TEST_PAUSE_AT</c> = <c>POINT|FOLDER</c>:
/// at the armed point the process creates <c>FOLDER/paused</c> and waits (at most 30 seconds) for
/// <c>FOLDER/resume</c>, so a test can change the disk at exactly that moment. Unarmed, a point is one
/// cached string comparison.
/// </content>
internal static partial class FaultInjection
{
    /// <summary>The environment variable that arms a pause point. For tests only.</summary>
    public const string PauseVariable = "SECURE_UPDATE_TEST_PAUSE_AT";

    private static readonly string[]? s_pause = Environment.GetEnvironmentVariable(PauseVariable)?.Split('|', 2);

    /// <summary>Waits here for the test when this pause point is armed.</summary>
    public static void Pause(string name)
    {
        if (s_pause is not [var point, var folder] || !string.Equals(point, name, StringComparison.Ordinal))
        {
            return;
        }

        File.WriteAllText(Path.Combine(folder, "paused"), name);
        var resume = Path.Combine(folder, "resume");
        for (var waited = 0; waited < 3000 && !File.Exists(resume); waited++)
        {
            Thread.Sleep(10);
        }
    }
}
