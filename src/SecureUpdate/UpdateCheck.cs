namespace SecureUpdate;

/// <summary>The result of <see cref="UpdateClient.CheckForUpdateAsync"/>.</summary>
/// <param name="Outcome">What was found.</param>
/// <param name="Version">The channel's version (verified), or null when not modified.</param>
/// <param name="CurrentVersion">The target's current version, or null.</param>
/// <param name="RolloutPercent">The channel pointer's rollout percentage, or null when not modified.</param>
/// <param name="ETag">The validator to pass as <see cref="UpdateCheckRequest.ETag"/> next time.</param>
/// <param name="PointerExpires">
/// When the channel pointer that was read expires, or null when not modified. Stop sending
/// <see cref="ETag"/> from then on: a feed (or a network) answering "not modified" for ever
/// would otherwise hide that the pointer has gone stale (a freeze).
/// </param>
public sealed record UpdateCheck(UpdateCheckOutcome Outcome, string? Version, string? CurrentVersion, int? RolloutPercent, string? ETag, DateTimeOffset? PointerExpires = null);
