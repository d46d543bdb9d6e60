using Microsoft.Extensions.Logging;

namespace SecureUpdate.Agent;

/// <summary>Source-generated log messages of the update agent, with stable event ids (4xx).</summary>
internal static partial class AgentLog
{
    [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "Update agent for {Target} runs {Version}; checking every {Interval} with up to {Jitter} of jitter")]
    public static partial void Started(ILogger logger, string target, string version, TimeSpan interval, TimeSpan jitter);

    [LoggerMessage(EventId = 401, Level = LogLevel.Debug, Message = "Next update check in {Delay}")]
    public static partial void NextCheck(ILogger logger, TimeSpan delay);

    [LoggerMessage(EventId = 402, Level = LogLevel.Information, Message = "Update check: {Outcome} (channel version {Version}, rollout {Rollout}%)")]
    public static partial void Checked(ILogger logger, UpdateCheckOutcome outcome, string version, int rollout);

    [LoggerMessage(EventId = 410, Level = LogLevel.Information, Message = "Update check: the channel is unchanged (not modified)")]
    public static partial void NotModified(ILogger logger);

    [LoggerMessage(EventId = 403, Level = LogLevel.Debug, Message = "Staging {Version}: {FilesDone}/{FilesTotal} files, {BytesDone}/{BytesTotal} bytes")]
    public static partial void Progress(ILogger logger, string version, int filesDone, int filesTotal, long bytesDone, long bytesTotal);

    [LoggerMessage(EventId = 404, Level = LogLevel.Information, Message = "Staged {Version}; handing off to the companion and stopping")]
    public static partial void HandingOff(ILogger logger, string version);

    [LoggerMessage(EventId = 405, Level = LogLevel.Warning, Message = "Update check or staging failed; the verified current version keeps running: {Detail}")]
    public static partial void CheckFailed(ILogger logger, string detail);

    [LoggerMessage(EventId = 406, Level = LogLevel.Information, Message = "{Version} confirmed itself healthy")]
    public static partial void Confirmed(ILogger logger, string version);

    [LoggerMessage(EventId = 407, Level = LogLevel.Warning, Message = "{Version} is not healthy; stopping so that the companion reverts it")]
    public static partial void Unhealthy(ILogger logger, string version);

    [LoggerMessage(EventId = 408, Level = LogLevel.Warning, Message = "{Version} is no longer the target's current version; stopping so that the current one runs")]
    public static partial void Reverted(ILogger logger, string version);

    [LoggerMessage(EventId = 409, Level = LogLevel.Error, Message = "The companion could not be started ({Detail}); staying on the current version")]
    public static partial void CompanionFailed(ILogger logger, string detail);
}
