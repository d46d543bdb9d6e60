namespace SecureUpdate.Tests.EndToEnd;

/// <summary>One event as <c>secure-update events --json</c> lists it.</summary>
/// <param name="Name">The <c>event</c> field: installed, refused, allowlisted, debug-shell-command, …</param>
/// <param name="FallbackMode">The <c>fallback_mode</c> field: none, hard_reset, debug_shell or hash_allowlist.</param>
/// <param name="ErrorCode">The <c>error_name</c> field (the error code's name), or null.</param>
/// <param name="Version">The <c>version</c> field, or null.</param>
/// <param name="Detail">The <c>detail</c> sentence.</param>
public sealed record ListedEvent(string Name, string FallbackMode, string? ErrorCode, string? Version, string Detail);
