using Microsoft.Extensions.Logging;

namespace SecureUpdate.Diagnostics;

/// <summary>
/// Source-generated warnings about local files that are used, but not kept as safely as they should
/// be (5xx). They never stop the command; a host decides where they go (the CLI prints them on stderr).
/// </summary>
internal static partial class LocalFileLog
{
    [LoggerMessage(EventId = 500, Level = LogLevel.Warning, Message = "The private key file '{Path}' can be read or written by group or others; make it owner-only: chmod 600 '{Path}'")]
    public static partial void KeyFileNotPrivate(ILogger logger, string path);

    [LoggerMessage(EventId = 501, Level = LogLevel.Warning, Message = "The key folder '{Folder}' can be written by group or others, who could replace or remove the new key; keep keys in a folder only you can write: chmod 700 '{Folder}'")]
    public static partial void KeyFolderWritableByOthers(ILogger logger, string folder);
}
