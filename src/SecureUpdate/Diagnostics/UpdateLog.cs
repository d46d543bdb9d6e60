using Microsoft.Extensions.Logging;
using SecureUpdate.Errors;

namespace SecureUpdate.Diagnostics;

/// <summary>Source-generated log messages with stable event ids (1xx apply, 2xx verify, 3xx audit events).</summary>
internal static partial class UpdateLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Checking channel {App}/{Channel} at {Feed}")]
    public static partial void CheckingChannel(ILogger logger, string app, string channel, string feed);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "{App} {Version} is current")]
    public static partial void AlreadyCurrent(ILogger logger, string app, string version);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Staging {App} {Version}: {Files} files, {Bytes} bytes")]
    public static partial void Staging(ILogger logger, string app, string version, int files, long bytes);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "Switched {App} from {Previous} to {Version} ({Downloaded} files downloaded, {Reused} reused)")]
    public static partial void Switched(ILogger logger, string app, string? previous, string version, int downloaded, int reused);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "Update refused at stage {Stage} ({Code}): {Detail}")]
    public static partial void Refused(ILogger logger, UpdateStage stage, ErrorCode code, string detail);

    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Verified installed {Version}: {Files} files")]
    public static partial void Verified(ILogger logger, string version, int files);

    [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "Installed version does not verify ({Code}): {Detail}")]
    public static partial void VerifyFailed(ILogger logger, ErrorCode code, string detail);

    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Audit event {EventName} at stage {Stage} (fallback {FallbackMode}, version {Version}) in {Target}: {Detail}")]
    public static partial void Event(ILogger logger, string eventName, UpdateStage stage, string fallbackMode, string? version, string detail, string target);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "Audit event {EventName} at stage {Stage}: {ErrorCode} (fallback {FallbackMode}, version {Version}) in {Target}: {Detail}")]
    public static partial void FailureEvent(ILogger logger, string eventName, UpdateStage stage, string errorCode, string fallbackMode, string? version, string detail, string target);
}
