namespace SecureUpdate.Swap;

/// <summary>The app process the companion waits for before switching, and for how long at most.</summary>
internal sealed record AppExit(int Pid, TimeSpan Timeout);
