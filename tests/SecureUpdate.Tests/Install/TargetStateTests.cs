using System.IO.Abstractions;
using System.Runtime.Versioning;
using SecureUpdate.Documents;
using SecureUpdate.Errors;
using SecureUpdate.Install;
using SecureUpdate.Platform;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Install;

[UnsupportedOSPlatform("windows")]
public sealed class TargetStateTests : IDisposable
{
    private readonly TempFolder _target = new();
    private readonly FileSystem _fileSystem = new();
    private readonly DiskOperations _disk = new();
    private readonly TargetLayout _paths;

    public TargetStateTests()
    {
        _paths = new TargetLayout(_target.Path, ".secure-update");
        Directory.CreateDirectory(_paths.State);
    }

    public void Dispose() => _target.Dispose();

    [Theory]
    [InlineData("1.2.0")]
    [InlineData("2.0.0-rc.1+build.7")]
    [InlineData(null)]
    public void Write_ThenRead_RoundTripsAppChannelAndFloor(string? floor)
    {
        var state = new TargetState("demo", "beta", floor is null ? null : SemanticVersion.Parse(floor));

        state.Write(_disk, _paths);
        TargetState? read = TargetState.Read(_fileSystem, _paths);

        read.Should().NotBeNull();
        read!.App.Should().Be("demo");
        read.Channel.Should().Be("beta");
        read.Floor?.ToString().Should().Be(floor);
        (read.Floor is null).Should().Be(floor is null);
        File.GetUnixFileMode(_paths.StateFile).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Directory.EnumerateFiles(_paths.State).Should().ContainSingle("the temporary file is renamed over the state file");
    }

    [Fact]
    public void Write_OverExistingState_ReplacesIt()
    {
        new TargetState("demo", "stable", SemanticVersion.Parse("1.0.0")).Write(_disk, _paths);

        new TargetState("demo", "stable", SemanticVersion.Parse("1.1.0")).Write(_disk, _paths);

        TargetState.Read(_fileSystem, _paths)!.Floor.Should().Be(SemanticVersion.Parse("1.1.0"));
    }

    [Fact]
    public void Read_NoStateFile_ReturnsNull()
    {
        TargetState.Read(_fileSystem, _paths).Should().BeNull();
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{}")]
    [InlineData("null")]
    [InlineData("{\"schema\":\"secure-update/state/v2\",\"app\":\"demo\",\"channel\":\"stable\",\"floor\":\"1.0.0\"}")]
    [InlineData("{\"schema\":\"secure-update/state/v1\",\"app\":\"Demo\",\"channel\":\"stable\",\"floor\":\"1.0.0\"}")]
    [InlineData("{\"schema\":\"secure-update/state/v1\",\"app\":\"demo\",\"channel\":\"../x\",\"floor\":\"1.0.0\"}")]
    [InlineData("{\"schema\":\"secure-update/state/v1\",\"app\":\"demo\",\"channel\":\"stable\",\"floor\":\"1.0\"}")]
    [InlineData("{\"schema\":\"secure-update/state/v1\",\"app\":\"demo\",\"channel\":\"stable\",\"floor\":1}")]
    [InlineData("{\"schema\":\"secure-update/state/v1\",\"app\":\"demo\",\"channel\":\"stable\",\"floor\":\"1.0.0\",\"extra\":1}")]
    [InlineData("{\"schema\":\"secure-update/state/v1\",\"app\":\"demo\",\"channel\":\"stable\",\"floor\":\"1.0.0\",\"floor\":\"0.1.0\"}")]
    [InlineData("{\"schema\":\"secure-update/state/v1\",\"app\":\"demo\",\"floor\":\"1.0.0\"}")]
    [InlineData("{\"schema\":\"secure-update/state/v1\",\"app\":\"demo\",\"channel\":\"stable\",\"floor\":\"1.0.0\"")]
    public void Read_DamagedStateFile_ThrowsConfigurationException(string contents)
    {
        File.WriteAllText(_paths.StateFile, contents);

        Action read = () => TargetState.Read(_fileSystem, _paths);

        ConfigurationException ex = read.Should().Throw<ConfigurationException>().Which;
        ex.Code.Should().Be(ErrorCode.Config);
        ex.Stage.Should().Be(UpdateStage.Config);
        ex.Message.Should().Contain("damaged");
    }

    [Fact]
    public void Read_ValidHandWrittenStateWithoutFloor_ReturnsNullFloor()
    {
        File.WriteAllText(_paths.StateFile, "{\"schema\":\"secure-update/state/v1\",\"app\":\"demo\",\"channel\":\"stable\"}");

        TargetState? read = TargetState.Read(_fileSystem, _paths);

        read!.App.Should().Be("demo");
        read.Floor.Should().BeNull();
    }
}
