using System.Diagnostics;
using System.IO.Abstractions;
using System.Runtime.Versioning;
using Microsoft.Extensions.Time.Testing;
using SecureUpdate.Errors;
using SecureUpdate.Install;
using SecureUpdate.Swap;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Swap;

/// <summary>
/// Health by confirmation (boot counting), in process with a fake clock: after a swap with <see cref="SwapRequest.ConfirmWithin"/>
/// the new version must call <see cref="UpdateClient.ConfirmHealthyAsync"/> before the deadline and within its starts,
/// or the companion, the next start or the next command reverts it, and the reverted version is rejected.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class BootCountingTests : IDisposable
{
    private const string V1 = "1.0.0";
    private const string V2 = "1.1.0";
    private static readonly TimeSpan s_window = TimeSpan.FromMinutes(10);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 5, 0, 0, TimeSpan.Zero));
    private readonly ReleaseWorkspace _workspace;
    private readonly CancellationTokenSource _companion = new();

    public BootCountingTests()
    {
        _workspace = new ReleaseWorkspace(_time);
    }

    private UpdateClient Client => _workspace.Client;

    private string Target => _workspace.Target;

    public void Dispose()
    {
        _companion.Cancel();
        _companion.Dispose();
        _workspace.Dispose();
    }

    [Fact]
    public async Task SwapAsync_ConfirmWithin_SwitchesAndLeavesFloorUntilConfirmed()
    {
        await InstallAndStageAsync();

        var swap = await StartConfirmingSwapAsync(starts: 3);

        Current().Should().Be(V2, "the new version runs while it is waiting to confirm itself");
        var state = State();
        state.Pending.Should().NotBeNull();
        state.Pending!.Version.Should().Be(V2);
        state.Pending.Previous.Should().Be(V1);
        state.Pending.Deadline.Should().Be(_time.GetUtcNow() + s_window);
        state.Floor!.ToString().Should().Be(V1, "the floor rises only when the new version is confirmed, so a revert never goes below it");
        swap.IsCompleted.Should().BeFalse("the companion waits for the confirmation");
    }

    [Fact]
    public async Task ConfirmHealthyAsync_WithinDeadline_CommitsRaisesFloorAndCompanionSucceeds()
    {
        await InstallAndStageAsync();
        var swap = await StartConfirmingSwapAsync(starts: 3);
        (await Client.RecordStartAsync(SecureUpdate.Target.Folder(Target), V2)).Should().Be(StartupCheck.AwaitingConfirmation);

        await Client.ConfirmHealthyAsync(SecureUpdate.Target.Folder(Target));

        var state = State();
        state.Pending.Should().BeNull("the confirmation ends boot counting");
        state.Floor!.ToString().Should().Be(V2, "the confirmed version raises the floor");
        var result = await DriveAsync(swap);
        result.Outcome.Should().Be(ApplyOutcome.Updated);
        result.Version.Should().Be(V2);

        _time.Advance(s_window * 3);
        (await Client.RecordStartAsync(SecureUpdate.Target.Folder(Target), V2)).Should().Be(StartupCheck.Committed, "a confirmed version is never reverted by the deadline");
        Current().Should().Be(V2);
        Client.GetStatus(SecureUpdate.Target.Folder(Target)).CurrentVersion.Should().Be(V2);
        Directory.Exists(_workspace.Installed(V1, "")).Should().BeTrue("the previous version is kept for rollback");
    }

    [Fact]
    public async Task SwapAsync_DeadlinePassesWithoutConfirmation_CompanionRevertsAndRejects()
    {
        await InstallAndStageAsync();
        var swap = await StartConfirmingSwapAsync(starts: 3);

        // No confirmation comes: the clock runs on past the deadline.
        var failure = await FluentActions.Awaiting(() => DriveAsync(swap)).Should().ThrowAsync<InstallException>();

        failure.Which.Code.Should().Be(ErrorCode.HealthCheckFailed);
        Current().Should().Be(V1);
        await ShouldBeRejectedAsync();
    }

    [Theory]
    [InlineData("record-start")]
    [InlineData("status")]
    [InlineData("confirm-too-late")]
    [InlineData("rollback-command")]
    public async Task OpenTarget_DeadlinePassedAfterCompanionDied_RevertsAndRejects(string opener)
    {
        await InstallAndStageAsync();
        var swap = await StartConfirmingSwapAsync(starts: 3);
        await _companion.CancelAsync();
        await FluentActions.Awaiting(() => swap).Should().ThrowAsync<OperationCanceledException>("the companion died while waiting");
        State().Pending.Should().NotBeNull("the pending confirmation is in the state, not in the companion");

        _time.Advance(s_window + TimeSpan.FromSeconds(1));
        switch (opener)
        {
            case "record-start":
                (await Client.RecordStartAsync(SecureUpdate.Target.Folder(Target), V2)).Should().Be(StartupCheck.Reverted, "the new version ran out of time: it must exit");
                (await Client.RecordStartAsync(SecureUpdate.Target.Folder(Target), V1)).Should().Be(StartupCheck.Committed, "the previous version runs on as committed");
                break;
            case "status":
                Client.GetStatus(SecureUpdate.Target.Folder(Target)).CurrentVersion.Should().Be(V1, "opening the target settles an overdue confirmation first");
                break;
            case "confirm-too-late":
                await Client.ConfirmHealthyAsync(SecureUpdate.Target.Folder(Target));
                State().Floor!.ToString().Should().Be(V1, "a confirmation after the deadline commits nothing");
                break;
            case "rollback-command":
                await FluentActions.Awaiting(() => Client.RollbackAsync(SecureUpdate.Target.Folder(Target))).Should().ThrowAsync<NotInstalledException>("the overdue version was reverted first; nothing is below 1.0.0");
                break;
        }

        Current().Should().Be(V1);
        await ShouldBeRejectedAsync();
    }

    [Fact]
    public async Task RecordStartAsync_StartsRunOut_RevertsOnTheStartAfterTheLast()
    {
        await InstallAndStageAsync();
        var swap = await StartConfirmingSwapAsync(starts: 2);
        await _companion.CancelAsync();
        await FluentActions.Awaiting(() => swap).Should().ThrowAsync<OperationCanceledException>();

        (await Client.RecordStartAsync(SecureUpdate.Target.Folder(Target), V2)).Should().Be(StartupCheck.AwaitingConfirmation, "first of two starts");
        State().Pending!.StartsLeft.Should().Be(1);
        (await Client.RecordStartAsync(SecureUpdate.Target.Folder(Target), V2)).Should().Be(StartupCheck.AwaitingConfirmation, "second of two starts");
        Current().Should().Be(V2);
        (await Client.RecordStartAsync(SecureUpdate.Target.Folder(Target), V2)).Should().Be(StartupCheck.Reverted, "a third start without confirmation reverts");

        Current().Should().Be(V1);
        State().Floor!.ToString().Should().Be(V1);
        await ShouldBeRejectedAsync();
    }

    [Fact]
    public async Task SwapAsync_RevertedByBootCountingWhileCompanionWaits_ReportsHealthFailure()
    {
        await InstallAndStageAsync();
        var swap = await StartConfirmingSwapAsync(starts: 1);
        (await Client.RecordStartAsync(SecureUpdate.Target.Folder(Target), V2)).Should().Be(StartupCheck.AwaitingConfirmation);
        (await Client.RecordStartAsync(SecureUpdate.Target.Folder(Target), V2)).Should().Be(StartupCheck.Reverted);
        Current().Should().Be(V1);

        // The companion is still waiting: it must not report the reverted version as swapped (exit 0).
        var failure = await FluentActions.Awaiting(() => DriveAsync(swap)).Should().ThrowAsync<InstallException>(
            "the new version was reverted before it confirmed itself; the companion's swap failed");
        failure.Which.Code.Should().Be(ErrorCode.HealthCheckFailed);
        Current().Should().Be(V1);
    }

    /// <summary>Publishes and installs 1.0.0, then publishes 1.1.0 and stages it (current stays 1.0.0).</summary>
    private async Task InstallAndStageAsync()
    {
        _workspace.WriteInput("bin/demo", "#!/bin/sh\necho demo 1\n", executable: true);
        _workspace.WriteInput("README.txt", "one\n");
        await _workspace.PublishAsync(V1);
        (await _workspace.ApplyAsync()).Outcome.Should().Be(ApplyOutcome.Installed);
        _workspace.WriteInput("README.txt", "two\n");
        await _workspace.PublishAsync(V2);
        var staged = await Client.ApplyAsync(new ApplyRequest { Feed = _workspace.Feed, Trust = _workspace.Trust, Target = SecureUpdate.Target.Folder(Target), StageOnly = true });
        staged.Outcome.Should().Be(ApplyOutcome.Staged);
        Current().Should().Be(V1);
    }

    /// <summary>Starts the companion's swap with a confirmation window and returns once the pending confirmation is written.</summary>
    private async Task<Task<ApplyResult>> StartConfirmingSwapAsync(int starts)
    {
        var swap = Task.Run(() => Client.SwapAsync(new SwapRequest { Target = SecureUpdate.Target.Folder(Target), ConfirmWithin = s_window, ConfirmationStarts = starts }, _companion.Token));
        var stopwatch = Stopwatch.StartNew();
        while (TargetState.Read(new FileSystem(), InstallTargets.Folder(Target).Layout)?.Pending is null)
        {
            if (swap.IsCompleted)
            {
                await swap;
                throw new InvalidOperationException("the swap finished without waiting for a confirmation");
            }

            stopwatch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(20), "the swap should record a pending confirmation");
            await Task.Delay(10);
        }

        // The companion releases the lock right after recording the pending confirmation, and waits without it.
        while (!LockIsFree())
        {
            stopwatch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(20), "the companion waits for the confirmation without holding the lock");
            await Task.Delay(10);
        }

        return swap;
    }

    private bool LockIsFree()
    {
        try
        {
            using var probe = new FileStream(InstallTargets.Folder(Target).Layout.Lock, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>
    /// Moves the fake clock on until the swap finishes (bounded in real time). The steps are larger than the
    /// companion's poll, so whenever it registers its next delay, the next step passes it.
    /// </summary>
    private async Task<ApplyResult> DriveAsync(Task<ApplyResult> swap)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!swap.IsCompleted && stopwatch.Elapsed < TimeSpan.FromSeconds(20))
        {
            _time.Advance(TimeSpan.FromSeconds(30));
            await Task.WhenAny(swap, Task.Delay(10));
        }

        swap.IsCompleted.Should().BeTrue("the companion should finish once the clock passes its next poll");
        return await swap;
    }

    /// <summary>The reverted 1.1.0 is rejected: neither a swap nor an apply brings it back.</summary>
    private async Task ShouldBeRejectedAsync()
    {
        State().Rejected.Should().Contain(V2);
        State().Pending.Should().BeNull();
        (await Client.SwapAsync(new SwapRequest { Target = SecureUpdate.Target.Folder(Target) })).Outcome.Should().Be(ApplyOutcome.Current, "a reverted version is not swapped in again");
        (await _workspace.ApplyAsync(app: null)).Outcome.Should().Be(ApplyOutcome.Current, "nor installed again from the feed");
        Current().Should().Be(V1);
    }

    private string? Current() => InstallTargets.Folder(Target).ReadCurrent(null);

    private TargetState State() => TargetState.Read(new FileSystem(), InstallTargets.Folder(Target).Layout)!;
}
