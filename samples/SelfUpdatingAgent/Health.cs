namespace SelfUpdatingAgent;

/// <summary>
/// This sample's health check, run by the library a moment after a new version starts: a build is
/// unhealthy when a file named <c>fail-health</c> lies beside it. So a "bad release" is the same
/// build with that file added to the release input; the companion then reverts it.
/// </summary>
internal static class Health
{
    public static string FailMarker { get; } = Path.Combine(AppContext.BaseDirectory, "fail-health");

    public static Task<bool> CheckAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(!File.Exists(FailMarker));
    }
}
