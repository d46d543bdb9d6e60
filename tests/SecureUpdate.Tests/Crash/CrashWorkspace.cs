using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Crash;

/// <summary>
/// The crash suite's shared, read-only starting points, each built on first use with the real CLI in one temporary
/// folder that is deleted when the suite ends: tests copy them, never change them.
/// </summary>
public sealed class CrashWorkspace : IDisposable
{
    private readonly TempFolder _root = new();
    private readonly Lazy<Task<CrashTargets>> _targets;
    private readonly Lazy<Task<LargeRelease>> _large;

    public CrashWorkspace()
    {
        _targets = new Lazy<Task<CrashTargets>>(() => CrashTargets.CreateAsync(_root.CreateFolder("targets")));
        _large = new Lazy<Task<LargeRelease>>(() => LargeRelease.CreateAsync(_root.CreateFolder("large")));
    }

    /// <summary>Targets with the two small releases of <see cref="ReleaseInputs"/>.</summary>
    public Task<CrashTargets> GetTargetsAsync() => _targets.Value;

    /// <summary>A feed of large releases and a target to update from it.</summary>
    public Task<LargeRelease> GetLargeReleaseAsync() => _large.Value;

    public void Dispose() => _root.Dispose();
}
