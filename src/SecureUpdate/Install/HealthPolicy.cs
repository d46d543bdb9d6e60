namespace SecureUpdate.Install;

/// <summary>How a newly switched version is started and judged healthy; what is not given is not done.</summary>
/// <param name="HealthCheck">A shell command run in the new version's folder after the switch; non-zero or a timeout switches back.</param>
/// <param name="HealthTimeout">Longest the health check may run.</param>
/// <param name="Restart">A shell command started detached in the new version's folder (and in the previous one after a switch back).</param>
/// <param name="ConfirmWithin">Health by confirmation: the new version must confirm itself healthy within this time, or it is reverted.</param>
/// <param name="ConfirmationStarts">Starts the new version gets to confirm itself healthy.</param>
internal sealed record HealthPolicy(string? HealthCheck, TimeSpan HealthTimeout, string? Restart = null, TimeSpan? ConfirmWithin = null, int ConfirmationStarts = 3)
{
    /// <summary>Whether the switch stays provisional until the new version proves healthy.</summary>
    public bool AwaitsHealth => HealthCheck is not null || ConfirmWithin is not null;
}
