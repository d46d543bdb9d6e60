using System.Runtime.Versioning;
using SecureUpdate.Install;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Install;

[UnsupportedOSPlatform("windows")]
public sealed class TargetLockTests : IDisposable
{
    private readonly TempFolder _target = new();
    private readonly TargetPaths _paths;

    public TargetLockTests()
    {
        _paths = new TargetPaths(_target.Path);
        Directory.CreateDirectory(_paths.State);
    }

    public void Dispose() => _target.Dispose();

    [Fact]
    public void Acquire_WhileHeld_ThrowsTargetLockedException()
    {
        using TargetLock first = TargetLock.Acquire(_paths);

        Action second = () => TargetLock.Acquire(_paths).Dispose();

        TargetLockedException ex = second.Should().Throw<TargetLockedException>().Which;
        ex.Code.Should().Be(ErrorCode.Locked);
        ex.Stage.Should().Be(UpdateStage.Lock);
    }

    [Fact]
    public void Acquire_AfterHolderDisposed_Succeeds()
    {
        TargetLock first = TargetLock.Acquire(_paths);
        first.Dispose();

        using TargetLock second = TargetLock.Acquire(_paths);

        Action third = () => TargetLock.Acquire(_paths).Dispose();
        third.Should().Throw<TargetLockedException>("the second holder has the lock now");
    }

    [Fact]
    public void Acquire_OtherTarget_IsIndependent()
    {
        using var otherRoot = new TempFolder();
        var other = new TargetPaths(otherRoot.Path);
        Directory.CreateDirectory(other.State);
        using TargetLock first = TargetLock.Acquire(_paths);

        using TargetLock second = TargetLock.Acquire(other);

        File.Exists(other.Lock).Should().BeTrue();
    }

    [Fact]
    public void Acquire_NewLockFile_IsOwnerOnly()
    {
        using TargetLock held = TargetLock.Acquire(_paths);

        File.GetUnixFileMode(_paths.Lock).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
