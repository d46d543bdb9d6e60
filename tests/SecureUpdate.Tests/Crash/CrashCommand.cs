namespace SecureUpdate.Tests.Crash;

/// <summary>A command that changes a target, run with a crash point armed.</summary>
public enum CrashCommand
{
    /// <summary><c>apply</c>: 1.0.0 installed, the feed offers 1.1.0.</summary>
    ApplyUpdate,

    /// <summary><c>apply --stage-only</c>: 1.1.0 into versions/, current stays 1.0.0.</summary>
    StageOnly,

    /// <summary><c>swap</c> after a completed <c>apply --stage-only</c>: switches 1.0.0 to the staged 1.1.0.</summary>
    SwapStaged,

    /// <summary><c>rollback</c>: 1.1.0 current, back to the kept 1.0.0.</summary>
    Rollback,

    /// <summary><c>apply --health-check 'exit 0'</c>: 1.0.0 installed, the feed offers 1.1.0, the check passes.</summary>
    HealthCheckedApply,
}
