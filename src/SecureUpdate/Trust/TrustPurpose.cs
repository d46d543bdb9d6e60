namespace SecureUpdate.Trust;

/// <summary>What a release document is verified for, which decides whether verify-only keys count.</summary>
internal enum TrustPurpose
{
    /// <summary>Installing a new release: only the release role's signing keys count.</summary>
    NewRelease,

    /// <summary>Re-verifying a version already installed (or staged): retired, verify-only keys count too.</summary>
    Installed,
}
