namespace SecureUpdate.Install;

/// <summary>
/// Boot counting: after a swap the new version must confirm itself healthy (a library call)
/// before <paramref name="Deadline"/> and within <paramref name="StartsLeft"/> starts, or it is reverted to <paramref name="Previous"/>.
/// </summary>
internal sealed record PendingConfirmation(string Version, string? Previous, DateTimeOffset Deadline, int StartsLeft);
