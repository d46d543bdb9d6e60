using Microsoft.Extensions.Hosting;

namespace SecureUpdate.Tests.Agent;

/// <summary>
/// A host lifetime that neither listens for signals nor prints anything, for hosts a test starts
/// and stops itself (the default console lifetime would hook SIGTERM and Ctrl+C once per host).
/// </summary>
internal sealed class QuietHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
