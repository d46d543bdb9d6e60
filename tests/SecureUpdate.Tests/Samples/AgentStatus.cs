namespace SecureUpdate.Tests.Samples;

/// <summary>What the agent wrote to its status file: its version, process id and state (started, confirmed, handing-off, stopping).</summary>
internal sealed record AgentStatus(string Version, int Pid, string State)
{
    public override string ToString() => $"{Version} pid {Pid} {State}";
}
