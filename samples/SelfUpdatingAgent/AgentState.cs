namespace SelfUpdatingAgent;

/// <summary>What the agent reports in its status file.</summary>
internal enum AgentState
{
    /// <summary>Running; the target has not committed this version yet (it awaits its health confirmation).</summary>
    Started,

    /// <summary>The target has committed this version: it is installed and confirmed healthy.</summary>
    Confirmed,

    /// <summary>A newer version is staged and the companion started; this process is exiting so it can swap.</summary>
    HandingOff,

    /// <summary>Exiting for any other reason (a signal, or unhealthy: the companion then reverts).</summary>
    Stopping,
}
