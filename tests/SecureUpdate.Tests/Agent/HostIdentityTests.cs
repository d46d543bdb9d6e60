using SecureUpdate.Agent;

namespace SecureUpdate.Tests.Agent;

/// <summary>The default host id for staged rollout: stable, non-empty, and the machine id where there is one.</summary>
public sealed class HostIdentityTests
{
    [Fact]
    public void Default_IsStableNonEmptyAndTheMachineIdWhenPresent()
    {
        var id = HostIdentity.Default(new System.IO.Abstractions.FileSystem());

        id.Should().NotBeNullOrWhiteSpace();
        HostIdentity.Default(new System.IO.Abstractions.FileSystem()).Should().Be(id, "a host must stay in the same rollout bucket");
        var machineId = File.Exists("/etc/machine-id") ? File.ReadAllText("/etc/machine-id").Trim() : "";
        id.Should().Be(machineId.Length is > 0 and <= 128 ? machineId : Environment.MachineName);
    }
}
