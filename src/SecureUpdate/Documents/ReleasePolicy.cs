using SecureUpdate.Errors;

namespace SecureUpdate.Documents;

/// <summary>Step 5 of the verification order: app, channel, expiry, version floor and binding.</summary>
internal static class ReleasePolicy
{
    /// <summary>Checks a verified channel pointer against the target.</summary>
    public static void CheckPointer(ChannelPointer pointer, string app, string channel, DateTimeOffset now, SemanticVersion? floor)
    {
        if (!string.Equals(pointer.App, app, StringComparison.Ordinal))
        {
            throw Error.WrongApp(UpdateStage.Channel, "channel pointer", pointer.App, app);
        }

        if (!string.Equals(pointer.Channel, channel, StringComparison.Ordinal))
        {
            throw Error.WrongChannel(UpdateStage.Channel, "channel pointer", pointer.Channel, channel);
        }

        // Threat: indefinite freeze. A pointer past its expiry may be a stale mirror replaying an old, signed state.
        if (pointer.Expires <= now)
        {
            throw Error.Expired(UpdateStage.Channel, "channel pointer", pointer.Expires, pointer.Version.ToString());
        }

        // Threat: rollback. Never go below the highest version this target ever installed.
        if (floor is not null && pointer.Version < floor)
        {
            throw Error.Downgrade(UpdateStage.Channel, pointer.Version.ToString(), floor.ToString());
        }
    }

    /// <summary>Checks a verified manifest against its pointer and the target.</summary>
    public static void CheckManifest(ReleaseManifest manifest, ChannelPointer pointer, DateTimeOffset now)
    {
        if (!string.Equals(manifest.App, pointer.App, StringComparison.Ordinal))
        {
            throw Error.WrongApp(UpdateStage.Manifest, "manifest", manifest.App, pointer.App);
        }

        if (!string.Equals(manifest.Channel, pointer.Channel, StringComparison.Ordinal))
        {
            throw Error.WrongChannel(UpdateStage.Manifest, "manifest", manifest.Channel, pointer.Channel);
        }

        if (!string.Equals(manifest.Version.ToString(), pointer.Version.ToString(), StringComparison.Ordinal))
        {
            throw Error.ManifestMismatch(UpdateStage.Manifest, pointer.Version.ToString(), $"The manifest is for version {manifest.Version}, but the channel points at {pointer.Version}.");
        }

        if (manifest.Expires <= now)
        {
            throw Error.Expired(UpdateStage.Manifest, $"manifest of {manifest.Version}", manifest.Expires, manifest.Version.ToString());
        }
    }
}
