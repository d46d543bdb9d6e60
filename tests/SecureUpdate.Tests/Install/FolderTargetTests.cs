using SecureUpdate.Errors;
using SecureUpdate.Install;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Install;

/// <summary>How a folder target reads <c>current</c> and its installed versions: only what secure-update makes is accepted, nothing is followed.</summary>
public sealed class FolderTargetTests : IDisposable
{
    private readonly TempFolder _root = new();
    private readonly FolderTarget _paths;

    public FolderTargetTests()
    {
        _paths = InstallTargets.Folder(_root.Combine("target"));
        Directory.CreateDirectory(_paths.Versions);
    }

    public void Dispose() => _root.Dispose();

    [Fact]
    public void ReadCurrent_NoCurrent_ReturnsNull()
    {
        _paths.ReadCurrent(null).Should().BeNull();
    }

    [Theory]
    [InlineData("1.2.0")]
    [InlineData("2.0.0-rc.1+build.5")]
    public void ReadCurrent_SymlinkToInstalledVersion_ReturnsThatVersion(string version)
    {
        Directory.CreateDirectory(_paths.VersionFolder(version));
        File.CreateSymbolicLink(_paths.Current, "versions/" + version);

        _paths.ReadCurrent(null).Should().Be(version);
    }

    [Fact]
    public void ReadCurrent_VersionsFolderIsSymlinkOutsideTarget_IsRefusedEvenWithoutCurrent()
    {
        var outside = _root.Combine("elsewhere");
        Directory.CreateDirectory(outside);
        Directory.Delete(_paths.Versions);
        Directory.CreateSymbolicLink(_paths.Versions, outside);

        AssertRefused();
    }

    [Fact]
    public void ReadCurrent_PlainDirectory_IsRefused()
    {
        Directory.CreateDirectory(_paths.Current);

        AssertRefused();
    }

    [Fact]
    public void ReadCurrent_PlainFile_IsRefused()
    {
        File.WriteAllText(_paths.Current, "versions/1.0.0");

        AssertRefused();
    }

    [Fact]
    public void ReadCurrent_AbsoluteSymlinkToVersionFolder_IsRefused()
    {
        // Even an absolute link to a real version folder of this very target is not what secure-update makes.
        Directory.CreateDirectory(_paths.VersionFolder("1.0.0"));
        File.CreateSymbolicLink(_paths.Current, _paths.VersionFolder("1.0.0"));

        AssertRefused();
    }

    [Fact]
    public void ReadCurrent_AbsoluteSymlinkOutsideTarget_IsRefused()
    {
        string outside = _root.Combine("elsewhere", "1.0.0");
        Directory.CreateDirectory(outside);
        File.CreateSymbolicLink(_paths.Current, outside);

        AssertRefused();
    }

    [Theory]
    [InlineData("../elsewhere")]
    [InlineData("../elsewhere/1.0.0")]
    [InlineData("versions/../../elsewhere/1.0.0")]
    [InlineData("./versions/1.0.0")]
    [InlineData("versions//1.0.0")]
    [InlineData("versions/1.0.0/")]
    [InlineData("versions/1.0.0/..")]
    public void ReadCurrent_SymlinkLeavingTargetOrNotCanonical_IsRefused(string link)
    {
        Directory.CreateDirectory(_root.Combine("elsewhere", "1.0.0"));
        Directory.CreateDirectory(_paths.VersionFolder("1.0.0"));
        File.CreateSymbolicLink(_paths.Current, link);

        AssertRefused();
    }

    [Fact]
    public void ReadCurrent_SymlinkToNonSemVerFolder_IsRefused()
    {
        Directory.CreateDirectory(_paths.VersionFolder("notsemver"));
        File.CreateSymbolicLink(_paths.Current, "versions/notsemver");

        AssertRefused();
    }

    [Fact]
    public void ReadCurrent_DanglingSymlinkToMissingVersion_IsRefused()
    {
        File.CreateSymbolicLink(_paths.Current, "versions/2.0.0");

        AssertRefused();
    }

    [Fact]
    public void ReadCurrent_VersionFolderThatIsItselfASymlink_IsRefused()
    {
        string outside = _root.Combine("elsewhere", "1.0.0");
        Directory.CreateDirectory(outside);
        Directory.CreateSymbolicLink(_paths.VersionFolder("1.0.0"), outside);
        File.CreateSymbolicLink(_paths.Current, "versions/1.0.0");

        AssertRefused();
    }

    [Fact]
    public void List_MixedFolders_ReturnsSemVerNamesHighestFirst()
    {
        foreach (string name in new[] { "1.0.0", "1.10.0", "1.2.0", "1.10.0-rc.1", "junk", "v2.0.0" })
        {
            Directory.CreateDirectory(_paths.VersionFolder(name));
        }

        File.WriteAllText(_paths.VersionFolder("3.0.0"), "a file, not a folder");

        _paths.ListVersions(null).Select(v => v.ToString())
            .Should().Equal("1.10.0", "1.10.0-rc.1", "1.2.0", "1.0.0");
    }

    [Fact]
    public void List_NoVersionsFolder_ReturnsEmpty()
    {
        Directory.Delete(_paths.Versions);

        _paths.ListVersions(null).Should().BeEmpty();
    }

    private void AssertRefused()
    {
        Action read = () => _paths.ReadCurrent(null);

        ConfigurationException ex = read.Should().Throw<ConfigurationException>().Which;
        ex.Code.Should().Be(ErrorCode.Config);
        ex.Stage.Should().Be(UpdateStage.Config);
    }
}
