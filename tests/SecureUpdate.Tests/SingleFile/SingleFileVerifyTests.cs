using System.Runtime.Versioning;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.SingleFile;

/// <summary><c>verify --target-file</c>: 0 when the file matches its signed manifest (content, size, executable bit), 3 otherwise, 7 when nothing is installed.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class SingleFileVerifyTests
{
    [Fact]
    public async Task Verify_UpdatedFile_ExitsZero()
    {
        using var world = await SingleFileWorld.CreateAsync(SingleFileTemplate.V2);

        var result = await world.VerifyAsync();

        result.ShouldExitWith(0).ShouldHaveNoStackTrace();
        result.JsonString("version").Should().Be(SingleFileTemplate.V2, result.Describe());
    }

    [Theory]
    [InlineData(FileMutation.Flip)]
    [InlineData(FileMutation.Extend)]
    [InlineData(FileMutation.Truncate)]
    public async Task Verify_FileTampered_ExitsThree(FileMutation mutation)
    {
        using var world = await SingleFileWorld.CreateAsync(SingleFileTemplate.V2);
        FileMutator.Apply(world.Target, mutation);

        var result = await world.VerifyAsync();

        result.ShouldExitWith(3).ShouldReportFailureClearly();
    }

    [Fact]
    public async Task Verify_ExecutableBitRemoved_ExitsThree()
    {
        using var world = await SingleFileWorld.CreateAsync(SingleFileTemplate.V2);
        File.SetUnixFileMode(world.Target, File.GetUnixFileMode(world.Target) & ~(UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute));

        var result = await world.VerifyAsync();

        result.ShouldExitWith(3).ShouldReportFailureClearly();
    }

    [Fact]
    public async Task Verify_FileReplacedBySymlinkToIdenticalCopy_ExitsThree()
    {
        // apply refuses a symlink at PATH; what runs through one comes from a file outside the verified place.
        using var world = await SingleFileWorld.CreateAsync(SingleFileTemplate.V2);
        var elsewhere = world.Temp.Combine("elsewhere-tool");
        File.Copy(world.Target, elsewhere);
        File.SetUnixFileMode(elsewhere, File.GetUnixFileMode(world.Target));
        File.Delete(world.Target);
        File.CreateSymbolicLink(world.Target, elsewhere);

        var result = await world.VerifyAsync();

        result.ShouldExitWith(3).ShouldReportFailureClearly();
    }

    [Fact]
    public async Task Verify_FileNeverInstalled_ExitsSeven()
    {
        using var world = await SingleFileWorld.CreateAsync(installed: null);
        File.WriteAllBytes(world.Target, SingleFileTemplate.Tool(SingleFileTemplate.V1).Content);

        var result = await world.VerifyAsync();

        result.ShouldExitWith(7).ShouldReportFailureClearly();
        Directory.Exists(world.StateFolder).Should().BeFalse("verify creates nothing");
    }
}
