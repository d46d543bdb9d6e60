using Microsoft.Extensions.Logging;

namespace SecureUpdate.Diagnostics;

/// <summary>Warnings about a mirror that failed while another one took over (event ids 600–699), for a host's log; a command that fails names every mirror in its one error line instead.</summary>
internal static partial class MirrorLog
{
    [LoggerMessage(EventId = 600, Level = LogLevel.Warning, Message = "The mirror '{Mirror}' failed for '{Path}' ({Detail}); trying '{Next}', and the failed mirror last for the rest of this run")]
    public static partial void MirrorFailed(ILogger logger, string mirror, string path, string detail, string next);

    [LoggerMessage(EventId = 601, Level = LogLevel.Warning, Message = "The mirror '{Mirror}' served '{Path}' with bytes that do not match its signed digest; trying the next mirror, and this one last for the rest of this run")]
    public static partial void MirrorServedBadBlob(ILogger logger, string mirror, string path);
}
