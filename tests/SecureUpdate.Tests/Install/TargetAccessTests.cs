using System.IO.Abstractions;
using System.Runtime.Versioning;
using Microsoft.Extensions.Logging.Abstractions;
using SecureUpdate.Configuration;
using SecureUpdate.Errors;
using SecureUpdate.Install;
using SecureUpdate.Platform;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Install;

/// <summary>The exclusive lock per target (threat: two updaters at once), taken through the one way every operation takes it.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class TargetAccessTests : IDisposable
{
    private readonly TempFolder _target = new();
    private readonly FolderTarget _folder;
    private readonly TargetAccess _access;

    public TargetAccessTests()
    {
        _folder = InstallTargets.Folder(_target.Path);
        Directory.CreateDirectory(_folder.Layout.State);
        _access = CreateAccess();
    }

    public void Dispose() => _target.Dispose();

    [Fact]
    public void Lock_WhileHeld_ThrowsTargetLockedException()
    {
        using var first = _access.Lock(_folder);

        Action second = () => _access.Lock(_folder).Dispose();

        TargetLockedException ex = second.Should().Throw<TargetLockedException>().Which;
        ex.Code.Should().Be(ErrorCode.Locked);
        ex.Stage.Should().Be(UpdateStage.Lock);
        ex.Path.Should().Be(_folder.Location);
    }

    [Fact]
    public void Lock_AfterHolderDisposed_Succeeds()
    {
        var first = _access.Lock(_folder);
        first.Dispose();

        using var second = _access.Lock(_folder);

        Action third = () => _access.Lock(_folder).Dispose();
        third.Should().Throw<TargetLockedException>("the second holder has the lock now");
    }

    [Fact]
    public void Lock_OtherTarget_IsIndependent()
    {
        using var otherRoot = new TempFolder();
        var other = InstallTargets.Folder(otherRoot.Path);
        Directory.CreateDirectory(other.Layout.State);
        using var first = _access.Lock(_folder);

        using var second = _access.Lock(other);

        File.Exists(other.Layout.Lock).Should().BeTrue();
    }

    [Fact]
    public void Lock_NewLockFile_IsOwnerOnly()
    {
        using var held = _access.Lock(_folder);

        File.GetUnixFileMode(_folder.Layout.Lock).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Fact]
    public void Lock_SingleFileTargetBesideAFolderTarget_IsIndependent()
    {
        // A tool installed as one file in a folder that is itself a target keeps its own state and lock.
        var file = InstallTargets.File(Path.Combine(_target.Path, "tool"));
        Directory.CreateDirectory(file.Layout.State);
        using var folderHeld = _access.Lock(_folder);

        using var fileHeld = _access.Lock(file);

        file.Layout.Lock.Should().NotBe(_folder.Layout.Lock);
    }

    [Fact]
    public void Open_NothingEverInstalled_ThrowsNotInstalled()
    {
        using var empty = new TempFolder();

        Action open = () => _access.Open(InstallTargets.Folder(empty.Path)).Dispose();

        open.Should().Throw<NotInstalledException>().Which.Code.Should().Be(ErrorCode.NotInstalled);
    }

    private static TargetAccess CreateAccess()
    {
        var fileSystem = new FileSystem();
        var disk = new DiskOperations();
        var audit = new NullAuditTrail();
        var transitions = new TargetTransitions(fileSystem, disk, new Journal(fileSystem, disk), audit, new SecureUpdateOptions(), NullLogger.Instance);
        return new TargetAccess(fileSystem, disk, TimeProvider.System, audit, transitions);
    }

    private sealed class NullAuditTrail : IAuditTrail
    {
        public void Record(TargetLayout layout, AuditRecord record)
        {
        }
    }
}
