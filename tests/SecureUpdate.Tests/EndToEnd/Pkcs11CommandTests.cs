using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text.Json;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.EndToEnd;

/// <summary>
/// The release key inside an HSM, through real processes and a real SoftHSM2 token of each test's own:
/// <c>keygen --pkcs11-module</c> writes a key reference and the public key, <c>release --key REFERENCE</c>
/// signs in the token, and what it publishes installs over HTTP. Run against the NativeAOT executable
/// too, which is the proof that its PKCS#11 binding works there.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class Pkcs11CommandTests : IDisposable
{
    private const string Pin = "11223344";
    private const string PinVariable = "SU_RELEASE_PIN";

    private readonly SoftHsmTokens _tokens = new();
    private readonly TempFolder _temp = new();
    private readonly string _token;

    public Pkcs11CommandTests()
    {
        _token = _tokens.CreateToken(Pin);
    }

    public void Dispose()
    {
        _temp.Dispose();
        _tokens.Dispose();
    }

    [Fact]
    public async Task Keygen_Pkcs11_WritesKeyReferenceAndPublicKeyOfTheTokensKey()
    {
        var keys = _temp.Combine("keys");

        var result = (await KeygenAsync(Pin, keys, "hsm", "--key-label", "release-2026", "--json")).ShouldExitWith(0).ShouldHaveNoStackTrace();

        var referencePath = Path.Combine(keys, "hsm.key");
        result.JsonString("privateKeyFile").Should().Be(referencePath, result.Describe());
        var keyId = result.JsonString("keyId");
        using var reference = JsonDocument.Parse(File.ReadAllBytes(referencePath));
        var root = reference.RootElement;
        root.GetProperty("schema").GetString().Should().Be("secure-update/pkcs11-key/v1");
        root.GetProperty("algorithm").GetString().Should().Be("ed25519");
        root.GetProperty("keyId").GetString().Should().Be(keyId);
        root.GetProperty("module").GetString().Should().Be(SoftHsm.ModulePath);
        root.GetProperty("tokenLabel").GetString().Should().Be(_token);
        root.GetProperty("keyLabel").GetString().Should().Be("release-2026");
        root.GetProperty("ckaId").GetString().Should().MatchRegex("^[0-9a-f]+$");
        root.GetProperty("pinEnv").GetString().Should().Be(PinVariable);
        root.TryGetProperty("privateKey", out _).Should().BeFalse("a reference holds no key material");
        File.GetUnixFileMode(referencePath).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);

        using var pub = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(keys, "hsm.pub")));
        pub.RootElement.GetProperty("schema").GetString().Should().Be("secure-update/public-key/v1");
        var publicKey = Convert.FromBase64String(pub.RootElement.GetProperty("publicKey").GetString()!);
        publicKey.Should().HaveCount(32);
        pub.RootElement.GetProperty("keyId").GetString().Should().Be(Convert.ToHexStringLower(SHA256.HashData(publicKey))).And.Be(keyId);
    }

    [Fact]
    public async Task Keygen_Pkcs11_KeyLabelAlreadyInToken_ExitsUsageErrorAndWritesNothing()
    {
        (await KeygenAsync(Pin, _temp.Combine("first"), "release")).ShouldExitWith(0);

        var again = await KeygenAsync(Pin, _temp.Combine("second"), "other", "--key-label", "release");

        again.ShouldExitWith(2).ShouldReportFailureClearly();
        again.Stderr.Should().Contain($"Token '{_token}' already holds an object labelled 'release'");
        Directory.Exists(_temp.Combine("second")).Should().BeFalse("nothing is written when the label is taken");
    }

    [Fact]
    public async Task Keygen_Pkcs11_PinVariableUnset_ExitsUsageErrorNamingTheVariable()
    {
        var result = await KeygenAsync(pin: null, _temp.Combine("keys"), "release");

        result.ShouldExitWith(2).ShouldReportFailureClearly();
        result.Stderr.Should().Contain($"The environment variable '{PinVariable}' that holds the token's user PIN is not set.");
        Directory.Exists(_temp.Combine("keys")).Should().BeFalse();
    }

    [Fact]
    public async Task Keygen_TokenFlagsWithoutModule_ExitsUsageError()
    {
        var result = await CliRunner.RunAsync("keygen", "--out", _temp.Combine("keys"), "--token-label", _token);

        result.ShouldExitWith(2).ShouldHaveNoStackTrace();
        result.Stderr.Should().Contain("--pkcs11-module");
        Directory.Exists(_temp.Combine("keys")).Should().BeFalse();
    }

    [Fact]
    public async Task Keygen_EncryptWithPkcs11Module_ExitsUsageErrorAndWritesNothing()
    {
        var result = await KeygenAsync(Pin, _temp.Combine("keys"), "release", "--encrypt");

        result.ShouldExitWith(2).ShouldHaveNoStackTrace();
        result.Stderr.Should().Contain("--encrypt and --pkcs11-module do not combine");
        Directory.Exists(_temp.Combine("keys")).Should().BeFalse();
    }

    [Fact]
    public async Task TrustRoot_CoSignedByARootKeyInToken_IsPublishedAndPinnedByAHost()
    {
        await using var desk = await TrustCeremony.CreateAsync();
        var hsmRoot = desk.Temp.Combine("keys", "root-hsm");
        (await KeygenAsync(Pin, desk.Temp.Combine("keys"), "root-hsm")).ShouldExitWith(0);
        var fileRoot = desk.Key("root-file");
        var release = desk.Key("release");
        var document = desk.Temp.Combine("root-1.json");
        (await TrustCeremony.RunAsync(
            "trust", "init", "--out", document, "--root-key", hsmRoot + ".pub", "--root-key", fileRoot + ".pub", "--root-threshold", "2", "--release-key", release + ".pub"))
            .ShouldExitWith(0);

        (await RunAsync(Pin, ["sign", "--key", hsmRoot + ".key", document])).ShouldExitWith(0).ShouldHaveNoStackTrace();
        (await TrustCeremony.RunAsync("trust", "publish", "--feed", desk.Feed, document))
            .ShouldExitWith(3).ShouldReportFailureClearly();
        (await TrustCeremony.RunAsync("sign", "--key", fileRoot + ".key", document)).ShouldExitWith(0);
        (await TrustCeremony.RunAsync("trust", "publish", "--feed", desk.Feed, document)).ShouldExitWith(0);
        (await desk.ReleaseAsync(ReleaseInputs.V1, "one", release)).ShouldExitWith(0);

        var install = (await desk.ApplyAsync(document)).ShouldExitWith(0);

        install.JsonString("outcome").Should().Be("installed", install.Describe());
        desk.CurrentContents().Should().Be("one");
    }

    [Fact]
    public async Task Release_SignedInToken_InstallsOverHttpWithThePublicKeyAsTrust()
    {
        var keys = _temp.Combine("keys");
        (await KeygenAsync(Pin, keys, "release")).ShouldExitWith(0);
        var input = _temp.Combine("in");
        ReleaseInputs.WriteFolder(input, ReleaseInputs.Version1);
        var feed = _temp.CreateFolder("feed");
        await using var server = await FeedServer.StartAsync(feed);

        (await ReleaseAsync(Pin, feed, ReleaseInputs.V1, input, Path.Combine(keys, "release.key"))).ShouldExitWith(0).ShouldHaveNoStackTrace();

        using var pub = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(keys, "release.pub")));
        var publicKey = Convert.FromBase64String(pub.RootElement.GetProperty("publicKey").GetString()!);
        var manifestPath = Path.Combine(feed, FeedForger.ManifestPath(ReleaseInputs.App, ReleaseInputs.Channel, ReleaseInputs.V1));
        FeedForger.VerifyEnvelope(FeedForger.ManifestType, File.ReadAllBytes(manifestPath), File.ReadAllText(manifestPath + ".sig"), publicKey)
            .Should().BeTrue("the independent verifier accepts the token's signature over the manifest");
        var target = _temp.Combine("target");
        var install = (await CliRunner.RunAsync(
            "apply", "--feed", server.Url, "--trust", Path.Combine(keys, "release.pub"), "--target", target, "--app", ReleaseInputs.App, "--json"))
            .ShouldExitWith(0).ShouldHaveNoStackTrace();
        install.JsonString("outcome").Should().Be("installed", install.Describe());
        TargetAssert.ShouldHaveInstalled(target, ReleaseInputs.V1);
        TargetAssert.ShouldHoldExactly(Path.Combine(target, "versions", ReleaseInputs.V1), ReleaseInputs.Version1);
    }

    [Fact]
    public async Task Release_WrongPin_ExitsUsageErrorOnOneLineAndLeavesTheFeedUnchanged()
    {
        var keys = _temp.Combine("keys");
        (await KeygenAsync(Pin, keys, "release")).ShouldExitWith(0);
        var feed = _temp.Combine("feed");
        ReleaseInputs.WriteFolder(_temp.Combine("in", ReleaseInputs.V1), ReleaseInputs.Version1);
        ReleaseInputs.WriteFolder(_temp.Combine("in", ReleaseInputs.V2), ReleaseInputs.Version2);
        (await ReleaseAsync(Pin, feed, ReleaseInputs.V1, _temp.Combine("in", ReleaseInputs.V1), Path.Combine(keys, "release.key"))).ShouldExitWith(0);
        var before = TargetSnapshot.Capture(feed);

        var result = await ReleaseAsync("87878787", feed, ReleaseInputs.V2, _temp.Combine("in", ReleaseInputs.V2), Path.Combine(keys, "release.key"));

        result.ShouldExitWith(2).ShouldReportFailureClearly();
        result.Stderr.Should().Contain($"Token '{_token}' refused the PIN in the environment variable '{PinVariable}'");
        before.ShouldBeUnchanged("a key that cannot be opened publishes nothing");
    }

    [Fact]
    public async Task Keygen_Pkcs11_IntoFolderOthersMayWrite_WritesTheReferenceAndWarnsOnStderr()
    {
        // Whoever can write the folder can swap the reference for one naming another module.
        var keys = _temp.CreateFolder("keys");
        File.SetUnixFileMode(keys, (UnixFileMode)Convert.ToInt32("777", 8));

        var result = (await KeygenAsync(Pin, keys, "hsm", "--json")).ShouldExitWith(0).ShouldHaveNoStackTrace();

        File.Exists(Path.Combine(keys, "hsm.key")).Should().BeTrue(result.Describe());
        result.Json().ValueKind.Should().Be(JsonValueKind.Object, "stdout stays the result\n{0}", result.Describe());
        result.StderrLines.Should().ContainSingle(result.Describe());
        result.StderrLines[0].Should().StartWith("secure-update: warning:").And.Contain($"'{keys}'").And.Contain("chmod 700");
    }

    private Task<CliResult> KeygenAsync(string? pin, string folder, string name, params string[] extra) =>
        RunAsync(pin, ["keygen", "--out", folder, "--name", name, "--pkcs11-module", SoftHsm.ModulePath, "--token-label", _token, "--pin-env", PinVariable, .. extra]);

    private Task<CliResult> ReleaseAsync(string pin, string feed, string version, string input, string keyFile) =>
        RunAsync(pin, ["release", "--feed", feed, "--app", ReleaseInputs.App, "--version", version, "--input", input, "--key", keyFile]);

    private Task<CliResult> RunAsync(string? pin, string[] arguments) =>
        CliRunner.RunAsync(new Dictionary<string, string?>(_tokens.Environment) { [PinVariable] = pin }, arguments);
}
