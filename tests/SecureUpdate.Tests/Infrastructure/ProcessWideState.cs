namespace SecureUpdate.Tests.Infrastructure;

/// <summary>
/// Tests that change process-wide state (the umask) run in this collection: xunit runs it on its
/// own, after the parallel collections, so no other test sees the change.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideState
{
    public const string Name = "Process-wide state";
}
