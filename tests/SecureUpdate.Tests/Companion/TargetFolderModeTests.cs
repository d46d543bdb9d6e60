using System.Runtime.Versioning;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Companion;

/// <summary>
/// The target folder itself belongs to the operator: an apply that changes nothing (already current, or refused
/// because the lock is held) must not change its mode either (a 0750 folder must not become world-readable).
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class TargetFolderModeTests
{
    private const UnixFileMode Restricted = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute;

    [Fact]
    public async Task Apply_AlreadyCurrent_KeepsTargetFolderMode()
    {
        await using var scenario = await CompanionScenario.CreateAsync();
        (await scenario.ApplyAsync()).ShouldExitWith(0);
        File.SetUnixFileMode(scenario.Target, Restricted);

        var result = await scenario.ApplyAsync();

        result.ShouldExitWith(0);
        result.JsonString("outcome").Should().Be("current", result.Describe());
        File.GetUnixFileMode(scenario.Target).Should().Be(Restricted, "an apply with nothing to do must not widen the target folder's mode");
    }

    [Fact]
    public async Task Apply_LockHeldElsewhere_KeepsTargetFolderMode()
    {
        await using var scenario = await CompanionScenario.CreateAsync();
        File.SetUnixFileMode(scenario.Target, Restricted);
        CliResult result;
        using (new FileStream(Path.Combine(scenario.Target, ".secure-update", "lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            result = await scenario.ApplyAsync();
        }

        result.ShouldExitWith(6);
        File.GetUnixFileMode(scenario.Target).Should().Be(Restricted, "a refused apply leaves the target exactly as it was, its own mode included");
    }
}
