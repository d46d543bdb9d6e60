using System.Security.Cryptography;
using System.Text.Json;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.EndToEnd;

/// <summary><c>secure-update keygen</c>: files as docs/formats.md says, private key owner-only and never overwritten.</summary>
public sealed class KeygenCommandTests
{
    [Fact]
    public async Task Keygen_NewName_WritesOwnerOnlyKeyAndMatchingPublicKey()
    {
        using var temp = new TempFolder();
        var keys = temp.Combine("keys");

        (await CliRunner.RunAsync("keygen", "--out", keys, "--name", "ops")).ShouldExitWith(0).ShouldHaveNoStackTrace();

        var keyFile = Path.Combine(keys, "ops.key");
        var publicFile = Path.Combine(keys, "ops.pub");
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(keyFile).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite, "the private key is owner-only (0600)");
        }

        using var key = ForgedKey.Load(keyFile);
        using var document = JsonDocument.Parse(File.ReadAllBytes(publicFile));
        var root = document.RootElement;
        root.GetProperty("schema").GetString().Should().Be("secure-update/public-key/v1");
        root.GetProperty("algorithm").GetString().Should().Be("ed25519");
        var publicKey = Convert.FromBase64String(root.GetProperty("publicKey").GetString()!);
        publicKey.Should().Equal(key.PublicKey, "the public key file holds the public half of the private key file");
        root.GetProperty("keyId").GetString().Should().Be(Convert.ToHexStringLower(SHA256.HashData(publicKey)), "the key id is the SHA-256 of the raw public key");
    }

    [Fact]
    public async Task Keygen_KeyFileAlreadyExists_ExitsUsageErrorAndKeepsTheKey()
    {
        using var temp = new TempFolder();
        var keys = temp.Combine("keys");
        (await CliRunner.RunAsync("keygen", "--out", keys)).ShouldExitWith(0);
        var before = TargetSnapshot.Capture(keys);

        var again = await CliRunner.RunAsync("keygen", "--out", keys);

        again.ShouldExitWith(2).ShouldReportFailureClearly();
        before.ShouldBeUnchanged("keygen never overwrites a key");
    }
}
