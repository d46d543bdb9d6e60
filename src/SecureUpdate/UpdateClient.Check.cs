using SecureUpdate.Feed;
using SecureUpdate.Install;

namespace SecureUpdate;

/// <content>Checking a feed without changing anything (the agent's poll).</content>
public sealed partial class UpdateClient
{
    /// <summary>
    /// Asks the feed whether a newer version is available for <see cref="UpdateCheckRequest.Target"/>,
    /// verifying the channel pointer as <see cref="ApplyAsync"/> does. With the previous check's
    /// <see cref="UpdateCheck.ETag"/> an unchanged pointer costs one small 304 response. Nothing on
    /// disk changes.
    /// </summary>
    /// <exception cref="SecureUpdateException">The pointer does not verify, or the feed cannot be read.</exception>
    public async Task<UpdateCheck> CheckForUpdateAsync(UpdateCheckRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        ValidateIdentifier(request.App, "app id");
        ValidateIdentifier(request.Channel, "channel");
        var paths = request.SingleFile ? TargetPaths.ForFile(request.Target) : new TargetPaths(request.Target);
        var state = _fileSystem.Directory.Exists(paths.State) ? TargetState.Read(_fileSystem, paths) : null;
        var app = request.App ?? state?.App
            ?? throw new ConfigurationException(ErrorCode.Usage, UpdateStage.Config, "An app id is required for a target with nothing installed.");
        var channel = request.Channel ?? state?.Channel ?? DefaultChannel;
        var current = state is null ? null
            : request.SingleFile ? (_fileSystem.File.Exists(paths.File!) ? state.Current : null)
            : InstalledVersions.ReadCurrent(_fileSystem, paths);

        using var feed = FeedSourceFactory.Create(request.Feed, _fileSystem, _httpClientFactory, _timeProvider, _options);
        var (pointer, etag) = await ReleaseReader.ReadPointerIfChangedAsync(feed, request.Trust, app, channel, _timeProvider.GetUtcNow(), state?.Floor, CreateWaiver(paths), request.ETag, cancellationToken).ConfigureAwait(false);
        if (pointer is null)
        {
            return new UpdateCheck(UpdateCheckOutcome.NotModified, null, current, null, etag);
        }

        var version = pointer.Version.ToString();
        var outcome = string.Equals(version, current, StringComparison.Ordinal) || (state?.Rejected.Contains(version, StringComparer.Ordinal) ?? false)
            ? UpdateCheckOutcome.NoUpdate
            : request.HostId is { } hostId && !RolloutBucket.Includes(hostId, app, version, pointer.RolloutPercent)
                ? UpdateCheckOutcome.NotInRollout
                : UpdateCheckOutcome.Available;
        return new UpdateCheck(outcome, version, current, pointer.RolloutPercent, etag, pointer.Expires);
    }
}
