using SecureUpdate.Configuration;
using SecureUpdate.Errors;

namespace SecureUpdate.Install;

/// <summary>One audit event to record for a target: <c>time, stage, error_code, fallback_mode, version, detail</c> (the time is the trail's).</summary>
/// <param name="Name">What happened: <c>installed</c>, <c>refused</c>, <c>rolled-back</c>, ….</param>
/// <param name="Stage">Where.</param>
/// <param name="Version">The version concerned, if any.</param>
/// <param name="Detail">A sentence for people.</param>
internal sealed record AuditRecord(string Name, UpdateStage Stage, string? Version, string Detail)
{
    /// <summary>The error code of a failure, or null.</summary>
    public ErrorCode? Code { get; init; }

    /// <summary>The fallback mode that acted, or null.</summary>
    public FallbackMode? Fallback { get; init; }
}
