using System.Globalization;

namespace SecureUpdate.Errors;

/// <content>First contact: durations, feed locations and command-line values that cannot work as given.</content>
internal static partial class Error
{
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

    private static string Describe(TimeSpan value) =>
        value.Ticks % TimeSpan.TicksPerDay == 0 ? $"{value.TotalDays.ToString("0", CultureInfo.InvariantCulture)} days"
        : value.Ticks % TimeSpan.TicksPerSecond == 0 ? $"{value.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s"
        : value.ToString("c", CultureInfo.InvariantCulture);
}
