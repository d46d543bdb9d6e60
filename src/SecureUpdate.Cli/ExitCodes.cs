using SecureUpdate.Errors;

namespace SecureUpdate.Cli;

/// <summary>The documented exit codes; scripts depend on them exactly.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Internal = 1;
    public const int Usage = 2;
    public const int Refused = 3;
    public const int Transport = 4;
    public const int InstallFailed = 5;
    public const int Locked = 6;
    public const int NotInstalled = 7;

    /// <summary>The one place exceptions become exit codes.</summary>
    public static int For(Exception exception) => exception switch
    {
        ConfigurationException => Usage,
        VerificationException => Refused,
        TransportException => Transport,
        InstallException => InstallFailed,
        TargetLockedException => Locked,
        NotInstalledException => NotInstalled,
        _ => Internal,
    };
}
