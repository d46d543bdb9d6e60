using System.IO.Abstractions;
using System.Runtime.Versioning;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using SecureUpdate.Errors;
using SecureUpdate.Install;
using SecureUpdate.Platform;
using SecureUpdate.Publishing;
using SecureUpdate.Tests.Infrastructure;
using SecureUpdate.Trust;

namespace SecureUpdate.Tests;

[UnsupportedOSPlatform("windows")]
public sealed class UpdateClientTests : IDisposable
{
    private const string Demo = "#!/bin/sh\necho demo 1\n";
    private const string Readme = "Demo, release one.\n";

    private readonly ReleaseWorkspace _workspace = new();

    public UpdateClientTests()
    {
        _workspace.WriteInput("bin/demo", Demo, executable: true);
        _workspace.WriteInput("README.txt", Readme);
    }

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task ApplyAsync_FirstRelease_InstallsVerifiedFilesAndState()
    {
        await _workspace.PublishAsync("1.0.0");

        ApplyResult result = await _workspace.ApplyAsync();

        result.Outcome.Should().Be(ApplyOutcome.Installed);
        result.App.Should().Be("demo");
        result.Channel.Should().Be("stable");
        result.Version.Should().Be("1.0.0");
        result.PreviousVersion.Should().BeNull();
        result.FilesDownloaded.Should().Be(2);
        result.FilesReused.Should().Be(0);
        result.BytesDownloaded.Should().Be(Demo.Length + Readme.Length);

        string current = Path.Combine(_workspace.Target, "current");
        new FileInfo(current).LinkTarget.Should().Be("versions/1.0.0");
        File.ReadAllText(Path.Combine(current, "bin", "demo")).Should().Be(Demo);
        File.ReadAllText(Path.Combine(current, "README.txt")).Should().Be(Readme);
        File.GetUnixFileMode(_workspace.Installed("1.0.0", "bin/demo")).Should().Be(ReleaseInputs.ExecutableMode);
        File.GetUnixFileMode(_workspace.Installed("1.0.0", "README.txt")).Should().Be(ReleaseInputs.RegularMode);

        var paths = InstallTargets.Folder(_workspace.Target).Layout;
        TargetState? state = TargetState.Read(new FileSystem(), paths);
        state!.App.Should().Be("demo");
        state.Channel.Should().Be("stable");
        state.Floor!.ToString().Should().Be("1.0.0");
        File.Exists(paths.ManifestFile("1.0.0")).Should().BeTrue();
        File.Exists(paths.ManifestSignatureFile("1.0.0")).Should().BeTrue();
        File.GetUnixFileMode(paths.State).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Directory.Exists(paths.Staging).Should().BeFalse("staging is emptied after each run");
    }

    [Fact]
    public async Task ApplyAsync_NewerRelease_UpdatesAndReusesUnchangedFile()
    {
        await _workspace.PublishAsync("1.0.0");
        await _workspace.ApplyAsync();
        _workspace.WriteInput("README.txt", "Demo, release two.\n");
        await _workspace.PublishAsync("1.1.0");

        ApplyResult result = await _workspace.ApplyAsync();

        result.Outcome.Should().Be(ApplyOutcome.Updated);
        result.Version.Should().Be("1.1.0");
        result.PreviousVersion.Should().Be("1.0.0");
        result.FilesReused.Should().Be(1);
        result.FilesDownloaded.Should().Be(1);
        result.BytesDownloaded.Should().Be("Demo, release two.\n".Length);
        new FileInfo(Path.Combine(_workspace.Target, "current")).LinkTarget.Should().Be("versions/1.1.0");
        File.ReadAllText(_workspace.Installed("1.1.0", "README.txt")).Should().Be("Demo, release two.\n");
        File.ReadAllText(_workspace.Installed("1.1.0", "bin/demo")).Should().Be(Demo);
        File.GetUnixFileMode(_workspace.Installed("1.1.0", "bin/demo")).Should().Be(ReleaseInputs.ExecutableMode);
        File.ReadAllText(_workspace.Installed("1.0.0", "README.txt")).Should().Be(Readme, "the previous version is kept for rollback");
        TargetState.Read(new FileSystem(), InstallTargets.Folder(_workspace.Target).Layout)!.Floor!.ToString().Should().Be("1.1.0");
    }

    [Fact]
    public async Task ApplyAsync_ChannelVersionAlreadyCurrent_ReturnsCurrentAndChangesNothing()
    {
        await _workspace.PublishAsync("1.0.0");
        await _workspace.ApplyAsync();
        DateTime installedAt = Directory.GetLastWriteTimeUtc(_workspace.Installed("1.0.0", "bin"));

        ApplyResult result = await _workspace.ApplyAsync(app: null);

        result.Outcome.Should().Be(ApplyOutcome.Current);
        result.Version.Should().Be("1.0.0");
        result.App.Should().Be("demo", "the target remembers its app");
        result.FilesDownloaded.Should().Be(0);
        result.FilesReused.Should().Be(0);
        result.BytesDownloaded.Should().Be(0);
        Directory.GetLastWriteTimeUtc(_workspace.Installed("1.0.0", "bin")).Should().Be(installedAt);
    }

    [Fact]
    public async Task ApplyAsync_ThirdRelease_KeepsOnlyCurrentAndPrevious()
    {
        var paths = InstallTargets.Folder(_workspace.Target).Layout;
        foreach (string version in new[] { "1.0.0", "1.1.0", "1.2.0" })
        {
            _workspace.WriteInput("README.txt", "release " + version);
            await _workspace.PublishAsync(version);
            await _workspace.ApplyAsync();
        }

        Directory.EnumerateDirectories(Path.Combine(_workspace.Target, "versions")).Select(Path.GetFileName).Should().BeEquivalentTo("1.1.0", "1.2.0");
        File.Exists(paths.ManifestFile("1.0.0")).Should().BeFalse();
        File.Exists(paths.ManifestFile("1.1.0")).Should().BeTrue();
        (await _workspace.Client.VerifyAsync(_workspace.Folder, _workspace.Trust)).Version.Should().Be("1.2.0");
    }

    [Fact]
    public async Task ApplyAsync_TamperedInstalledCopyOfUnchangedFile_DownloadsInsteadOfReusing()
    {
        await _workspace.PublishAsync("1.0.0");
        await _workspace.ApplyAsync();
        File.WriteAllText(_workspace.Installed("1.0.0", "bin/demo"), "#!/bin/sh\nrm -rf /\n");
        _workspace.WriteInput("README.txt", "Demo, release two.\n");
        await _workspace.PublishAsync("1.1.0");

        ApplyResult result = await _workspace.ApplyAsync();

        result.FilesReused.Should().Be(0);
        result.FilesDownloaded.Should().Be(2);
        File.ReadAllText(_workspace.Installed("1.1.0", "bin/demo")).Should().Be(Demo);
        (await _workspace.Client.VerifyAsync(_workspace.Folder, _workspace.Trust)).Version.Should().Be("1.1.0");
    }

    [Fact]
    public async Task ApplyAsync_TwoKeysAndTwoOfTwoTrust_Installs()
    {
        (string secondKey, string secondPub) = _workspace.GenerateKey("second");
        TrustRoot trust = TwoOfTwo(Path.Combine(_workspace.Keys, "release.pub"), secondPub);
        await _workspace.PublishAsync("1.0.0", keyFiles: [_workspace.KeyFile, secondKey]);

        ApplyResult result = await _workspace.ApplyAsync(trust);

        result.Outcome.Should().Be(ApplyOutcome.Installed);
    }

    [Fact]
    public async Task ApplyAsync_OneKeyButTwoOfTwoTrust_ThrowsSignatureAndCreatesNoTarget()
    {
        (_, string secondPub) = _workspace.GenerateKey("second");
        TrustRoot trust = TwoOfTwo(Path.Combine(_workspace.Keys, "release.pub"), secondPub);
        await _workspace.PublishAsync("1.0.0");

        Func<Task> apply = () => _workspace.ApplyAsync(trust);

        VerificationException ex = (await apply.Should().ThrowAsync<VerificationException>()).Which;
        ex.Code.Should().Be(ErrorCode.Signature);
        ex.Stage.Should().Be(UpdateStage.Channel);
        Directory.Exists(_workspace.Target).Should().BeFalse();
    }

    [Fact]
    public async Task ApplyAsync_FirstInstallTrustingAnotherKey_FailsAndLeavesNoTarget()
    {
        await _workspace.PublishAsync("1.0.0");
        (_, string otherPub) = _workspace.GenerateKey("other");
        TrustRoot otherTrust = TrustRoot.Load(new FileSystem(), otherPub);

        Func<Task> apply = () => _workspace.ApplyAsync(otherTrust);

        VerificationException ex = (await apply.Should().ThrowAsync<VerificationException>()).Which;
        ex.Code.Should().Be(ErrorCode.Signature);
        ex.Stage.Should().Be(UpdateStage.Channel);
        Directory.Exists(_workspace.Target).Should().BeFalse();
    }

    [Fact]
    public async Task ApplyAsync_FirstInstallIntoExistingEmptyFolderFails_LeavesFolderEmpty()
    {
        await _workspace.PublishAsync("1.0.0");
        Directory.CreateDirectory(_workspace.Target);
        (_, string otherPub) = _workspace.GenerateKey("other");

        Func<Task> apply = () => _workspace.ApplyAsync(TrustRoot.Load(new FileSystem(), otherPub));

        (await apply.Should().ThrowAsync<VerificationException>()).Which.Code.Should().Be(ErrorCode.Signature);
        Directory.Exists(_workspace.Target).Should().BeTrue();
        Directory.EnumerateFileSystemEntries(_workspace.Target).Should().BeEmpty();
    }

    [Fact]
    public async Task ApplyAsync_FirstInstallWithoutApp_ThrowsUsageAndLeavesNoTarget()
    {
        await _workspace.PublishAsync("1.0.0");

        Func<Task> apply = () => _workspace.ApplyAsync(app: null);

        ConfigurationException ex = (await apply.Should().ThrowAsync<ConfigurationException>()).Which;
        ex.Code.Should().Be(ErrorCode.Usage);
        Directory.Exists(_workspace.Target).Should().BeFalse();
    }

    [Fact]
    public async Task ApplyAsync_TargetOfAnotherApp_ThrowsConfigAndKeepsInstall()
    {
        await _workspace.PublishAsync("1.0.0");
        await _workspace.ApplyAsync();

        Func<Task> apply = () => _workspace.ApplyAsync(app: "other");

        (await apply.Should().ThrowAsync<ConfigurationException>()).Which.Code.Should().Be(ErrorCode.Config);
        (await _workspace.Client.VerifyAsync(_workspace.Folder, _workspace.Trust)).Version.Should().Be("1.0.0");
    }

    [Fact]
    public async Task ApplyAsync_NonDefaultChannel_IsRememberedByTarget()
    {
        await _workspace.PublishAsync("2.0.0-beta.1", channel: "beta");
        await _workspace.ApplyAsync(channel: "beta");
        _workspace.WriteInput("README.txt", "beta two");
        await _workspace.PublishAsync("2.0.0-beta.2", channel: "beta");

        ApplyResult result = await _workspace.ApplyAsync(app: null);

        result.Channel.Should().Be("beta");
        result.Version.Should().Be("2.0.0-beta.2");
        result.Outcome.Should().Be(ApplyOutcome.Updated);
    }

    [Fact]
    public async Task ApplyAsync_FeedOfferingVersionBelowFloor_ThrowsDowngradeAndKeepsCurrent()
    {
        string oldFeed = Path.Combine(_workspace.Root, "old-feed");
        await _workspace.PublishAsync("1.0.0", feed: oldFeed);
        await _workspace.PublishAsync("1.1.0");
        await _workspace.ApplyAsync();

        Func<Task> apply = () => _workspace.ApplyAsync(feed: oldFeed);

        VerificationException ex = (await apply.Should().ThrowAsync<VerificationException>()).Which;
        ex.Code.Should().Be(ErrorCode.Downgrade);
        ex.Stage.Should().Be(UpdateStage.Channel);
        new FileInfo(Path.Combine(_workspace.Target, "current")).LinkTarget.Should().Be("versions/1.1.0");
        Directory.Exists(_workspace.Installed("1.0.0", string.Empty)).Should().BeFalse();
    }

    [Fact]
    public async Task ApplyAsync_TamperedBlobInFeedOnUpdate_ThrowsHashMismatchAndKeepsCurrent()
    {
        await _workspace.PublishAsync("1.0.0");
        await _workspace.ApplyAsync();
        _workspace.WriteInput("README.txt", "Demo, release two.\n");
        ReleaseResult release = await _workspace.PublishAsync("1.1.0");
        string blob = Directory.EnumerateFiles(Path.Combine(_workspace.Feed, "blobs", "sha256"))
            .Single(p => File.ReadAllText(p) == "Demo, release two.\n");
        File.WriteAllText(blob, "Evil, release two.\n");

        Func<Task> apply = () => _workspace.ApplyAsync();

        VerificationException ex = (await apply.Should().ThrowAsync<VerificationException>()).Which;
        ex.Code.Should().Be(ErrorCode.HashMismatch);
        ex.Stage.Should().Be(UpdateStage.Payload);
        release.Version.Should().Be("1.1.0");
        new FileInfo(Path.Combine(_workspace.Target, "current")).LinkTarget.Should().Be("versions/1.0.0");
        Directory.Exists(_workspace.Installed("1.1.0", string.Empty)).Should().BeFalse();
        (await _workspace.Client.VerifyAsync(_workspace.Folder, _workspace.Trust)).Version.Should().Be("1.0.0");
    }

    [Fact]
    public async Task ApplyAsync_ChannelSignatureFileWithNullEntry_ThrowsSignatureAndKeepsCurrent()
    {
        await _workspace.PublishAsync("1.0.0");
        await _workspace.ApplyAsync();
        _workspace.WriteInput("README.txt", "Demo, release two.\n");
        await _workspace.PublishAsync("1.1.0");
        string signatures = Path.Combine(_workspace.Feed, "demo", "stable", "channel.json.sig");
        File.WriteAllText(signatures, File.ReadAllText(signatures).Replace("\"signatures\": [", "\"signatures\": [ null,", StringComparison.Ordinal));

        Func<Task> apply = () => _workspace.ApplyAsync();

        VerificationException ex = (await apply.Should().ThrowAsync<VerificationException>()).Which;
        ex.Code.Should().Be(ErrorCode.Signature);
        ex.Stage.Should().Be(UpdateStage.Channel);
        new FileInfo(Path.Combine(_workspace.Target, "current")).LinkTarget.Should().Be("versions/1.0.0");
    }

    [Fact]
    public async Task ApplyAsync_ChannelPointerExactlyAtExpiry_ThrowsExpiredAndLeavesNoTarget()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 5, 0, 0, TimeSpan.Zero));
        using var workspace = new ReleaseWorkspace(time);
        workspace.WriteInput("a.txt", "a");
        await workspace.PublishAsync("1.0.0", expiresIn: TimeSpan.FromHours(1));
        time.Advance(TimeSpan.FromHours(1));

        Func<Task> apply = () => workspace.ApplyAsync();

        VerificationException ex = (await apply.Should().ThrowAsync<VerificationException>()).Which;
        ex.Code.Should().Be(ErrorCode.Expired);
        ex.Stage.Should().Be(UpdateStage.Channel);
        Directory.Exists(workspace.Target).Should().BeFalse();
    }

    [Fact]
    public async Task ApplyAsync_JustBeforeExpiry_Installs()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 5, 0, 0, TimeSpan.Zero));
        using var workspace = new ReleaseWorkspace(time);
        workspace.WriteInput("a.txt", "a");
        await workspace.PublishAsync("1.0.0", expiresIn: TimeSpan.FromHours(1));
        time.Advance(TimeSpan.FromHours(1) - TimeSpan.FromSeconds(1));

        ApplyResult result = await workspace.ApplyAsync();

        result.Outcome.Should().Be(ApplyOutcome.Installed);
    }

    [Fact]
    public async Task ApplyAsync_TargetLockedByAnotherRun_ThrowsLockedAndChangesNothing()
    {
        await _workspace.PublishAsync("1.0.0");
        await _workspace.ApplyAsync();
        _workspace.WriteInput("README.txt", "Demo, release two.\n");
        await _workspace.PublishAsync("1.1.0");
        using var held = new DiskOperations().TryLock(InstallTargets.Folder(_workspace.Target).Layout.Lock);

        Func<Task> apply = () => _workspace.ApplyAsync();

        TargetLockedException ex = (await apply.Should().ThrowAsync<TargetLockedException>()).Which;
        ex.Code.Should().Be(ErrorCode.Locked);
        ex.Stage.Should().Be(UpdateStage.Lock);
        new FileInfo(Path.Combine(_workspace.Target, "current")).LinkTarget.Should().Be("versions/1.0.0");
        Directory.Exists(_workspace.Installed("1.1.0", string.Empty)).Should().BeFalse();
    }

    [Fact]
    public async Task ApplyAsync_TargetIsAFile_ThrowsConfigAndKeepsFile()
    {
        await _workspace.PublishAsync("1.0.0");
        File.WriteAllText(_workspace.Target, "not a folder");

        Func<Task> apply = () => _workspace.ApplyAsync();

        SecureUpdateException ex = (await apply.Should().ThrowAsync<SecureUpdateException>()).Which;
        File.Exists(_workspace.Target).Should().BeTrue("a file at the target path belongs to the user and is never removed");
        File.ReadAllText(_workspace.Target).Should().Be("not a folder");
        ex.Should().BeOfType<ConfigurationException>().Which.Code.Should().Be(ErrorCode.Config);
    }

    [Fact]
    public async Task GetStatus_AfterUpdate_ReportsAppChannelCurrentFloorAndVersions()
    {
        await _workspace.PublishAsync("1.0.0");
        await _workspace.ApplyAsync();
        _workspace.WriteInput("README.txt", "two");
        await _workspace.PublishAsync("1.1.0");
        await _workspace.ApplyAsync();

        TargetStatus status = _workspace.Client.GetStatus(_workspace.Folder);

        status.App.Should().Be("demo");
        status.Channel.Should().Be("stable");
        status.CurrentVersion.Should().Be("1.1.0");
        status.Floor.Should().Be("1.1.0");
        status.InstalledVersions.Should().Equal("1.1.0", "1.0.0");
    }

    [Fact]
    public async Task VerifyAsync_UntouchedInstall_ReturnsVersionFilesAndBytes()
    {
        await _workspace.PublishAsync("1.0.0");
        await _workspace.ApplyAsync();

        VerifyResult result = await _workspace.Client.VerifyAsync(_workspace.Folder, _workspace.Trust);

        result.Version.Should().Be("1.0.0");
        result.FilesVerified.Should().Be(2);
        result.BytesVerified.Should().Be(Demo.Length + Readme.Length);
    }

    [Fact]
    public async Task VerifyAsync_FileContentTampered_NeedsReinstallForHashMismatch()
    {
        await InstallFirstReleaseAsync();
        File.WriteAllText(_workspace.Installed("1.0.0", "bin/demo"), Demo.Replace('1', '2'));

        await AssertVerifyFailsAsync();
    }

    [Fact]
    public async Task VerifyAsync_FileTruncated_NeedsReinstallForHashMismatch()
    {
        await InstallFirstReleaseAsync();
        File.WriteAllText(_workspace.Installed("1.0.0", "README.txt"), Readme[..^1]);

        await AssertVerifyFailsAsync();
    }

    [Fact]
    public async Task VerifyAsync_FileMissing_NeedsReinstallForHashMismatch()
    {
        await InstallFirstReleaseAsync();
        File.Delete(_workspace.Installed("1.0.0", "README.txt"));

        await AssertVerifyFailsAsync();
    }

    [Theory]
    [InlineData("extra.txt")]
    [InlineData("bin/.hidden")]
    [InlineData("plugins/evil.so")]
    public async Task VerifyAsync_ExtraFileAdded_NeedsReinstallForHashMismatch(string relative)
    {
        await InstallFirstReleaseAsync();
        string path = _workspace.Installed("1.0.0", relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "not part of the release");

        await AssertVerifyFailsAsync();
    }

    [Fact]
    public async Task VerifyAsync_ExtraEmptyFolderAdded_NeedsReinstallForHashMismatch()
    {
        await InstallFirstReleaseAsync();
        Directory.CreateDirectory(_workspace.Installed("1.0.0", "plugins"));

        await AssertVerifyFailsAsync();
    }

    [Fact]
    public async Task VerifyAsync_FileReplacedBySymlinkToSameContent_NeedsReinstallForHashMismatch()
    {
        await InstallFirstReleaseAsync();
        string copy = Path.Combine(_workspace.Root, "readme-copy");
        File.WriteAllText(copy, Readme);
        File.Delete(_workspace.Installed("1.0.0", "README.txt"));
        File.CreateSymbolicLink(_workspace.Installed("1.0.0", "README.txt"), copy);

        await AssertVerifyFailsAsync();
    }

    [Fact]
    public async Task VerifyAsync_ExecutableBitRemoved_NeedsReinstallForHashMismatch()
    {
        await InstallFirstReleaseAsync();
        File.SetUnixFileMode(_workspace.Installed("1.0.0", "bin/demo"), ReleaseInputs.RegularMode);

        await AssertVerifyFailsAsync();
    }

    [Fact]
    public async Task VerifyAsync_ExecutableBitAdded_NeedsReinstallForHashMismatch()
    {
        await InstallFirstReleaseAsync();
        File.SetUnixFileMode(_workspace.Installed("1.0.0", "README.txt"), ReleaseInputs.ExecutableMode);

        await AssertVerifyFailsAsync();
    }

    [Fact]
    public async Task VerifyAsync_InstalledManifestAltered_NeedsReinstallForBadSignature()
    {
        await InstallFirstReleaseAsync();
        string manifest = InstallTargets.Folder(_workspace.Target).Layout.ManifestFile("1.0.0");
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("\"executable\": true", "\"executable\": false", StringComparison.Ordinal));

        Func<Task> verify = () => _workspace.Client.VerifyAsync(_workspace.Folder, _workspace.Trust);

        NotInstalledException ex = (await verify.Should().ThrowAsync<NotInstalledException>()).Which;
        ex.InnerException.Should().BeOfType<VerificationException>().Which.Code.Should().Be(ErrorCode.Signature);
        ex.Stage.Should().Be(UpdateStage.Verify);
    }

    [Fact]
    public async Task VerifyAsync_NothingInstalled_ThrowsNotInstalled()
    {
        Func<Task> verify = () => _workspace.Client.VerifyAsync(_workspace.Folder, _workspace.Trust);

        NotInstalledException ex = (await verify.Should().ThrowAsync<NotInstalledException>()).Which;
        ex.Code.Should().Be(ErrorCode.NotInstalled);
        ex.Stage.Should().Be(UpdateStage.Verify);
    }

    private static TrustRoot TwoOfTwo(params string[] publicKeyFiles)
    {
        var keys = new List<(string KeyId, string PublicKey)>();
        foreach (string file in publicKeyFiles)
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(file));
            keys.Add((document.RootElement.GetProperty("keyId").GetString()!, document.RootElement.GetProperty("publicKey").GetString()!));
        }

        return TrustRoot.Parse(TrustFileJson.Build(2, keys));
    }

    private async Task InstallFirstReleaseAsync()
    {
        await _workspace.PublishAsync("1.0.0");
        await _workspace.ApplyAsync();
        (await _workspace.Client.VerifyAsync(_workspace.Folder, _workspace.Trust)).Version.Should().Be("1.0.0", "the install verifies before it is altered");
    }

    [Fact]
    public async Task VerifyAsync_CurrentTamperedPreviousIntact_SwitchesBackRejectsAndThrowsHashMismatch()
    {
        await InstallFirstReleaseAsync();
        _workspace.WriteInput("README.txt", Readme + " v2");
        await _workspace.PublishAsync("1.1.0");
        await _workspace.Client.ApplyAsync(new ApplyRequest { Feed = _workspace.Feed, Trust = _workspace.Trust, Target = _workspace.Folder });
        File.AppendAllText(_workspace.Installed("1.1.0", "README.txt"), "!");

        Func<Task> verify = () => _workspace.Client.VerifyAsync(_workspace.Folder, _workspace.Trust);

        VerificationException ex = (await verify.Should().ThrowAsync<VerificationException>()).Which;
        ex.Code.Should().Be(ErrorCode.HashMismatch);
        ex.Message.Should().Contain("Switched back to 1.0.0");
        (await _workspace.Client.VerifyAsync(_workspace.Folder, _workspace.Trust)).Version.Should().Be("1.0.0");
        var again = await _workspace.Client.ApplyAsync(new ApplyRequest { Feed = _workspace.Feed, Trust = _workspace.Trust, Target = _workspace.Folder });
        again.Outcome.Should().Be(ApplyOutcome.Current, "a version reset away from is rejected until a newer release");
    }

    private async Task AssertVerifyFailsAsync()
    {
        Func<Task> verify = () => _workspace.Client.VerifyAsync(_workspace.Folder, _workspace.Trust);

        // Only one version is installed, so the hard reset has nowhere to go: a reinstall is needed.
        NotInstalledException ex = (await verify.Should().ThrowAsync<NotInstalledException>()).Which;
        ex.Code.Should().Be(ErrorCode.NotInstalled);
        ex.InnerException.Should().BeOfType<VerificationException>().Which.Code.Should().Be(ErrorCode.HashMismatch);
        ex.Stage.Should().Be(UpdateStage.Verify);
    }
}
