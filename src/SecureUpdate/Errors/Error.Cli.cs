using System.Globalization;

namespace SecureUpdate.Errors;

/// <content>First contact: durations, feed locations and command-line values that cannot work as given.</content>
internal static partial class Error
{
    /// <summary>
    /// A configuration error whose message the caller writes (the command line, which may name its own
    /// flags): local state that does not fit, such as a file where a folder belongs. Code <see cref="ErrorCode.Config"/>.
    /// </summary>
    public static ConfigurationException Config(string message, string? path = null) =>
        new(ErrorCode.Config, UpdateStage.Config, message) { Path = path };

    /// <summary>A duration outside its range (a timer cannot be armed with more than about 49 days).</summary>
    public static ConfigurationException DurationOutOfRange(string setting, TimeSpan value, TimeSpan max, bool allowZero = false) =>
        Usage($"{setting} of {Describe(value)} is outside its range: {(allowZero ? "zero" : "above zero")} up to {Describe(max)}.", setting);

    /// <summary>Options that the options validator refused (a value outside its documented range).</summary>
    public static ConfigurationException OptionsInvalid(string detail, Exception inner) =>
        new(ErrorCode.Usage, UpdateStage.Config, $"The update options are not valid: {detail}", inner) { Setting = "Options" };

    /// <summary>A redirect that leaves http(s), or goes to plain HTTP on a host that is not loopback.</summary>
    public static TransportException RedirectRefused(UpdateStage stage, string relativePath, string location, string reason) =>
        new(ErrorCode.Transport, stage, $"The feed redirected '{Printable.Of(relativePath)}' to '{Printable.Of(RedactedUrl.Of(location))}', which is refused: {reason}.");

    /// <summary>Too many redirects in a row.</summary>
    public static TransportException TooManyRedirects(UpdateStage stage, string relativePath, int max) =>
        new(ErrorCode.Transport, stage, $"The feed redirected '{Printable.Of(relativePath)}' more than {max} times.");

    /// <summary>A process id to wait for that names no single process (zero or negative).</summary>
    public static ConfigurationException WaitPidInvalid(int pid) =>
        Usage($"The process id to wait for must be above zero, not {pid.ToString(CultureInfo.InvariantCulture)}.", "WaitPid");

    /// <summary>A public key or trust file given where a private key is needed (the <c>.pub</c> beside the <c>.key</c>).</summary>
    public static ConfigurationException NotAPrivateKey(string path, string kind) =>
        new(ErrorCode.Config, UpdateStage.Config, $"'{Printable.Of(path)}' is {kind}; signing needs a private key file (the .key, an encrypted key or an HSM key reference).") { Path = path, Setting = "KeyFiles" };

    /// <summary>A target that cannot be created where it is asked for (a read-only or special file system, a missing parent).</summary>
    public static ConfigurationException TargetUncreatable(string target, Exception inner) =>
        new(ErrorCode.Config, UpdateStage.Config, $"The target '{Printable.Of(target)}' cannot be created: {WhyUncreatable(inner)}.", inner) { Path = target, Setting = "Target" };

    /// <summary>A folder to write into that cannot be created.</summary>
    public static ConfigurationException FolderUncreatable(string folder, Exception inner) =>
        new(ErrorCode.Config, UpdateStage.Config, $"The folder '{Printable.Of(folder)}' cannot be created: {WhyUncreatable(inner)}.", inner) { Path = folder };

    // .NET reports mkdir's ENOENT as "Could not find file", which reads as if something were missing on purpose.
    private static string WhyUncreatable(Exception inner) => inner switch
    {
        FileNotFoundException or DirectoryNotFoundException => "its parent does not exist or does not allow new entries (a special or read-only file system)",
        UnauthorizedAccessException => "permission denied",
        _ => inner.Message,
    };

    private static string Describe(TimeSpan value) =>
        value.Ticks % TimeSpan.TicksPerDay == 0 ? $"{value.TotalDays.ToString("0", CultureInfo.InvariantCulture)} days"
        : value.Ticks % TimeSpan.TicksPerSecond == 0 ? $"{value.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s"
        : value.ToString("c", CultureInfo.InvariantCulture);
}
