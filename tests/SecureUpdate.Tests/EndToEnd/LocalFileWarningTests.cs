using System.Runtime.Versioning;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.EndToEnd;

/// <summary>
/// Local files kept less safely than they should be are still used, with one warning line on stderr
/// that names the file and the fix: a private key group or others may read or write (release signs
/// with it), and a key folder others may write (keygen writes into it). stdout stays the result, so
/// with --json it is still exactly one object.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class LocalFileWarningTests
{
    private const string WarningPrefix = "secure-update: warning: ";

    [Theory]
    [InlineData("644")]
    [InlineData("640")]
    [InlineData("606")]
    public async Task Release_KeyFileOthersMayAccess_ReleasesAndWarnsOnceOnStderr(string octalMode)
    {
        using var temp = new TempFolder();
        var keyFile = WriteKey(temp, octalMode);

        var result = await Release(temp, keyFile);

        result.ShouldExitWith(0).ShouldHaveNoStackTrace();
        result.JsonString("outcome").Should().Be("released", "the key is still used\n{0}", result.Describe());
        result.StderrLines.Should().ContainSingle(result.Describe());
        result.StderrLines[0].Should().StartWith(WarningPrefix).And.Contain($"'{keyFile}'").And.Contain($"chmod 600 '{keyFile}'");
    }

    [Fact]
    public async Task Release_OwnerOnlyKeyFile_NoWarning()
    {
        using var temp = new TempFolder();
        var keyFile = WriteKey(temp, "600");

        var result = await Release(temp, keyFile);

        result.ShouldExitWith(0);
        result.Stderr.Should().BeEmpty(result.Describe());
    }

    [Fact]
    public async Task Sign_KeyFileOthersMayAccess_SignsAndWarnsOnceOnStderr()
    {
        using var temp = new TempFolder();
        (await Release(temp, WriteKey(temp, "600"))).ShouldExitWith(0);
        using var second = ForgedKey.Create();
        var secondKey = temp.Combine("second.key");
        second.WritePrivateKeyFile(secondKey);
        File.SetUnixFileMode(secondKey, (UnixFileMode)Convert.ToInt32("644", 8));
        var manifest = Path.Combine(temp.Combine("feed"), FeedForger.ManifestPath(ReleaseInputs.App, ReleaseInputs.Channel, ReleaseInputs.V1));

        var result = await CliRunner.RunAsync("sign", "--key", secondKey, manifest, "--json");

        result.ShouldExitWith(0).ShouldHaveNoStackTrace();
        result.Json().ValueKind.Should().Be(System.Text.Json.JsonValueKind.Object, result.Describe());
        result.StderrLines.Should().ContainSingle(result.Describe());
        result.StderrLines[0].Should().StartWith(WarningPrefix).And.Contain($"chmod 600 '{secondKey}'");
    }

    [Theory]
    [InlineData("777", true)]
    [InlineData("775", true)]
    [InlineData("1777", true)]
    [InlineData("755", false)]
    [InlineData("700", false)]
    public async Task Keygen_IntoFolderOthersMayWrite_CreatesTheKeyAndWarnsOnStderr(string octalMode, bool warns)
    {
        using var temp = new TempFolder();
        var keys = temp.CreateFolder("keys");
        File.SetUnixFileMode(keys, (UnixFileMode)Convert.ToInt32(octalMode, 8));

        var result = await CliRunner.RunAsync("keygen", "--out", keys, "--name", "ops", "--json");

        result.ShouldExitWith(0).ShouldHaveNoStackTrace();
        result.JsonString("outcome").Should().Be("created", result.Describe());
        File.Exists(Path.Combine(keys, "ops.key")).Should().BeTrue();
        if (warns)
        {
            result.StderrLines.Should().ContainSingle(result.Describe());
            result.StderrLines[0].Should().StartWith(WarningPrefix).And.Contain($"'{keys}'").And.Contain("chmod 700");
        }
        else
        {
            result.Stderr.Should().BeEmpty(result.Describe());
        }
    }

    private static string WriteKey(TempFolder temp, string octalMode)
    {
        using var key = ForgedKey.Create();
        var keyFile = temp.Combine("release.key");
        key.WritePrivateKeyFile(keyFile);
        File.SetUnixFileMode(keyFile, (UnixFileMode)Convert.ToInt32(octalMode, 8));
        return keyFile;
    }

    private static Task<CliResult> Release(TempFolder temp, string keyFile)
    {
        var input = temp.Combine("in");
        ReleaseInputs.WriteFolder(input, ReleaseInputs.Version1);
        return CliRunner.RunAsync(
            "release", "--feed", temp.Combine("feed"), "--app", ReleaseInputs.App, "--version", ReleaseInputs.V1, "--input", input,
            "--key", keyFile, "--json");
    }
}
