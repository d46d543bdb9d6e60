using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text.Json;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.EndToEnd;

/// <summary>
/// <c>secure-update keygen --encrypt</c> and signing with an encrypted key, run as processes: the key file is
/// owner-only and sealed (docs/formats.md), <c>release</c> and <c>rollout</c> unlock it with
/// <c>SECURE_UPDATE_KEY_PASSPHRASE</c>, and a wrong or missing passphrase exits 2 on one line, changing nothing.
/// The tests' stdin is a pipe, never a terminal, so nothing is ever asked for.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class EncryptedKeyCommandTests
{
    private const string Variable = "SECURE_UPDATE_KEY_PASSPHRASE";
    private const string Passphrase = "correct horse battery staple";

    private static Dictionary<string, string?> WithPassphrase(string? passphrase) => new() { [Variable] = passphrase };

    [Fact]
    public async Task Keygen_EncryptWithTheVariable_WritesOwnerOnlySealedKeyAndMatchingPublicKey()
    {
        using var temp = new TempFolder();
        var keys = temp.Combine("keys");

        var result = (await CliRunner.RunAsync(WithPassphrase(Passphrase), "keygen", "--out", keys, "--name", "ops", "--encrypt", "--json"))
            .ShouldExitWith(0).ShouldHaveNoStackTrace();

        var keyFile = Path.Combine(keys, "ops.key");
        var publicFile = Path.Combine(keys, "ops.pub");
        result.JsonString("privateKeyFile").Should().Be(keyFile);
        File.GetUnixFileMode(keyFile).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite, "the private key is owner-only (0600), encrypted or not");

        var keyBytes = File.ReadAllBytes(keyFile);
        using var publicDocument = JsonDocument.Parse(File.ReadAllBytes(publicFile));
        var publicKey = Convert.FromBase64String(publicDocument.RootElement.GetProperty("publicKey").GetString()!);
        var keyId = Convert.ToHexStringLower(SHA256.HashData(publicKey));
        result.JsonString("keyId").Should().Be(keyId);
        publicDocument.RootElement.GetProperty("keyId").GetString().Should().Be(keyId);
        EncryptedKeyReader.PublicKeyOf(keyBytes, Passphrase).Should().Equal(publicKey, "the sealed seed is the private half of the public key file");
        EncryptedKeyReader.PublicKeyOf(keyBytes, "not the passphrase").Should().BeNull();
    }

    [Fact]
    public async Task ReleaseAndRollout_EncryptedKeyWithTheVariable_PublishWhatApplyInstalls()
    {
        using var temp = new TempFolder();
        var keys = temp.Combine("keys");
        (await CliRunner.RunAsync(WithPassphrase(Passphrase), "keygen", "--out", keys, "--encrypt")).ShouldExitWith(0);
        var input = temp.Combine("in");
        ReleaseInputs.WriteFolder(input, ReleaseInputs.Version1);
        var feed = temp.Combine("feed");
        var target = temp.Combine("target");

        (await CliRunner.RunAsync(WithPassphrase(Passphrase),
            "release", "--feed", feed, "--app", ReleaseInputs.App, "--version", ReleaseInputs.V1, "--input", input,
            "--key", Path.Combine(keys, "release.key"), "--rollout", "50"))
            .ShouldExitWith(0).ShouldHaveNoStackTrace();
        (await CliRunner.RunAsync(WithPassphrase(Passphrase), "rollout", "--feed", feed, "--app", ReleaseInputs.App, "--percent", "100", "--key", Path.Combine(keys, "release.key")))
            .ShouldExitWith(0).ShouldHaveNoStackTrace();
        var apply = (await CliRunner.RunAsync("apply", "--feed", feed, "--trust", Path.Combine(keys, "release.pub"), "--target", target, "--app", ReleaseInputs.App, "--json"))
            .ShouldExitWith(0).ShouldHaveNoStackTrace();

        apply.JsonString("outcome").Should().Be("installed", apply.Describe());
        TargetAssert.ShouldHaveInstalled(target, ReleaseInputs.V1);
        TargetAssert.ShouldHoldExactly(Path.Combine(target, "versions", ReleaseInputs.V1), ReleaseInputs.Version1);
    }

    [Fact]
    public async Task Release_WrongPassphrase_ExitsConfigOnOneLineAndFeedUnchanged()
    {
        using var temp = new TempFolder();
        var keys = temp.Combine("keys");
        (await CliRunner.RunAsync(WithPassphrase(Passphrase), "keygen", "--out", keys, "--encrypt")).ShouldExitWith(0);
        var keyFile = Path.Combine(keys, "release.key");
        ReleaseInputs.WriteFolder(temp.Combine("in", ReleaseInputs.V1), ReleaseInputs.Version1);
        ReleaseInputs.WriteFolder(temp.Combine("in", ReleaseInputs.V2), ReleaseInputs.Version2);
        var feed = temp.Combine("feed");
        (await CliRunner.RunAsync(WithPassphrase(Passphrase),
            "release", "--feed", feed, "--app", ReleaseInputs.App, "--version", ReleaseInputs.V1, "--input", temp.Combine("in", ReleaseInputs.V1), "--key", keyFile))
            .ShouldExitWith(0);
        var feedBefore = TargetSnapshot.Capture(feed);
        var keysBefore = TargetSnapshot.Capture(keys);

        var result = await CliRunner.RunAsync(WithPassphrase("Correct horse battery staple"),
            "release", "--feed", feed, "--app", ReleaseInputs.App, "--version", ReleaseInputs.V2, "--input", temp.Combine("in", ReleaseInputs.V2), "--key", keyFile, "--json");

        result.ShouldExitWith(2).ShouldReportFailureClearly().ShouldHaveErrorCode("config");
        result.Stderr.Should().Contain("cannot be unlocked").And.NotContain("Correct horse");
        feedBefore.ShouldBeUnchanged("a key that does not unlock signs nothing and writes nothing");
        keysBefore.ShouldBeUnchanged("the key file is only read");
    }

    [Fact]
    public async Task Release_NoVariableAndStdinNotATerminal_ExitsConfigNamingTheVariable()
    {
        using var temp = new TempFolder();
        var keys = temp.Combine("keys");
        (await CliRunner.RunAsync(WithPassphrase(Passphrase), "keygen", "--out", keys, "--encrypt")).ShouldExitWith(0);
        var input = temp.Combine("in");
        ReleaseInputs.WriteFolder(input, ReleaseInputs.Version1);
        var feed = temp.Combine("feed");

        var result = await CliRunner.RunAsync(WithPassphrase(null),
            "release", "--feed", feed, "--app", ReleaseInputs.App, "--version", ReleaseInputs.V1, "--input", input, "--key", Path.Combine(keys, "release.key"), "--json");

        result.ShouldExitWith(2).ShouldReportFailureClearly().ShouldHaveErrorCode("config");
        result.Stderr.Should().Contain("no passphrase").And.Contain(Variable, "the message says where a passphrase can come from");
        Directory.Exists(feed).Should().BeFalse("nothing is written without the key");
    }

    [Fact]
    public async Task Keygen_EncryptOverAnExistingKey_IsRefusedBeforeAnyPassphraseIsAsked()
    {
        using var temp = new TempFolder();
        var keys = temp.Combine("keys");
        (await CliRunner.RunAsync("keygen", "--out", keys)).ShouldExitWith(0);
        var before = File.ReadAllBytes(Path.Combine(keys, "release.key"));

        // No variable and no terminal: asking for a passphrase would fail with another message.
        var result = await CliRunner.RunAsync(WithPassphrase(null), "keygen", "--out", keys, "--encrypt", "--json");

        result.ShouldExitWith(2).ShouldReportFailureClearly();
        result.Stderr.Should().Contain("already exists").And.NotContain(Variable);
        File.ReadAllBytes(Path.Combine(keys, "release.key")).Should().Equal(before);
    }

    [Fact]
    public async Task Keygen_EncryptWithNoVariableAndStdinNotATerminal_ExitsUsageNamingTheVariableAndWritesNothing()
    {
        using var temp = new TempFolder();
        var keys = temp.Combine("keys");

        var result = await CliRunner.RunAsync(WithPassphrase(null), "keygen", "--out", keys, "--encrypt", "--json");

        result.ShouldExitWith(2).ShouldReportFailureClearly().ShouldHaveErrorCode("usage");
        result.Stderr.Should().Contain(Variable);
        Directory.Exists(keys).Should().BeFalse("no key is written without a passphrase");
    }
}
