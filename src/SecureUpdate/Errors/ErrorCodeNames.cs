namespace SecureUpdate.Errors;

/// <summary>The wire names of <see cref="ErrorCode"/> values, as scripts see them.</summary>
public static class ErrorCodeNames
{
    /// <summary>The snake_case name printed as <c>error_code</c>.</summary>
    public static string ToName(ErrorCode code) => code switch
    {
        ErrorCode.Internal => "internal",
        ErrorCode.Usage => "usage",
        ErrorCode.Config => "config",
        ErrorCode.Signature => "signature",
        ErrorCode.HashMismatch => "hash_mismatch",
        ErrorCode.Expired => "expired",
        ErrorCode.Downgrade => "downgrade",
        ErrorCode.WrongApp => "wrong_app",
        ErrorCode.WrongChannel => "wrong_channel",
        ErrorCode.UnsafePath => "unsafe_path",
        ErrorCode.TooLarge => "too_large",
        ErrorCode.Malformed => "malformed",
        ErrorCode.ManifestMismatch => "manifest_mismatch",
        ErrorCode.Transport => "transport",
        ErrorCode.Timeout => "timeout",
        ErrorCode.InstallFailed => "install_failed",
        ErrorCode.HealthCheckFailed => "health_check_failed",
        ErrorCode.AppStillRunning => "app_still_running",
        ErrorCode.Locked => "locked",
        ErrorCode.NotInstalled => "not_installed",
        ErrorCode.TrustMismatch => "trust_mismatch",
        _ => "internal",
    };

    /// <summary>The code whose snake_case name is <paramref name="name"/>, for reading audit lines written before codes were integers.</summary>
    internal static bool TryParse(string? name, out ErrorCode code)
    {
        foreach (var candidate in Enum.GetValues<ErrorCode>())
        {
            if (string.Equals(ToName(candidate), name, StringComparison.Ordinal))
            {
                code = candidate;
                return true;
            }
        }

        code = ErrorCode.Internal;
        return false;
    }
}
