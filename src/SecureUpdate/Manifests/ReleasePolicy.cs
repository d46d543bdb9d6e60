namespace SecureUpdate.Manifests;

/// <summary>Step 5 of the verification order: app, channel, expiry, version floor and binding.</summary>
internal static class ReleasePolicy
{
    /// <summary>Checks a verified channel pointer against the target.</summary>
    public static void CheckPointer(ChannelPointer pointer, string app, string channel, DateTimeOffset now, SemanticVersion? floor)
    {
        if (!string.Equals(pointer.App, app, StringComparison.Ordinal))
        {
            throw new VerificationException(ErrorCode.WrongApp, UpdateStage.Channel, $"The channel pointer is for app '{DocumentParser.Printable(pointer.App)}', not '{app}'.");
        }

        if (!string.Equals(pointer.Channel, channel, StringComparison.Ordinal))
        {
            throw new VerificationException(ErrorCode.WrongChannel, UpdateStage.Channel, $"The channel pointer is for channel '{DocumentParser.Printable(pointer.Channel)}', not '{channel}'.");
        }

        // Threat: indefinite freeze. A pointer past its expiry may be a stale mirror replaying an old, signed state.
        if (pointer.Expires <= now)
        {
            throw new VerificationException(ErrorCode.Expired, UpdateStage.Channel, $"The channel pointer expired at {pointer.Expires:u}.");
        }

        // Threat: rollback. Never go below the highest version this target ever installed.
        if (floor is not null && pointer.Version < floor)
        {
            throw new VerificationException(ErrorCode.Downgrade, UpdateStage.Channel, $"The feed offers {pointer.Version}, below {floor}, the lowest version this target may install.");
        }
    }

    /// <summary>Checks a verified manifest against its pointer and the target.</summary>
    public static void CheckManifest(ReleaseManifest manifest, ChannelPointer pointer, DateTimeOffset now)
    {
        if (!string.Equals(manifest.App, pointer.App, StringComparison.Ordinal))
        {
            throw new VerificationException(ErrorCode.WrongApp, UpdateStage.Manifest, $"The manifest is for app '{DocumentParser.Printable(manifest.App)}', not '{pointer.App}'.");
        }

        if (!string.Equals(manifest.Channel, pointer.Channel, StringComparison.Ordinal))
        {
            throw new VerificationException(ErrorCode.WrongChannel, UpdateStage.Manifest, $"The manifest is for channel '{DocumentParser.Printable(manifest.Channel)}', not '{pointer.Channel}'.");
        }

        if (!string.Equals(manifest.Version.ToString(), pointer.Version.ToString(), StringComparison.Ordinal))
        {
            throw new VerificationException(ErrorCode.ManifestMismatch, UpdateStage.Manifest, $"The manifest is for version {manifest.Version}, but the channel points at {pointer.Version}.");
        }

        if (manifest.Expires <= now)
        {
            throw new VerificationException(ErrorCode.Expired, UpdateStage.Manifest, $"The manifest of {manifest.Version} expired at {manifest.Expires:u}.");
        }
    }
}
