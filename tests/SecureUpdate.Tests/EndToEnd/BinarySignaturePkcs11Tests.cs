using System.Runtime.Versioning;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.EndToEnd;

/// <summary>
/// <c>sign-binary</c> with a key inside an HSM (a real SoftHSM2 token of the test's own): the key
/// reference signs like a key file, and the embedded signature verifies against the key's <c>.pub</c>.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class BinarySignaturePkcs11Tests : IDisposable
{
    private const string Pin = "11223344";
    private const string PinVariable = "SU_BINARY_PIN";

    private readonly SoftHsmTokens _tokens = new();
    private readonly TempFolder _temp = new();
    private readonly string _token;

    public BinarySignaturePkcs11Tests()
    {
        _token = _tokens.CreateToken(Pin);
    }

    public void Dispose()
    {
        _temp.Dispose();
        _tokens.Dispose();
    }

    [Fact]
    public async Task SignBinary_KeyInAnHsm_VerifiesAndStillRuns()
    {
        var keys = _temp.Combine("keys");
        var environment = new Dictionary<string, string?>(_tokens.Environment) { [PinVariable] = Pin };
        (await CliRunner.RunAsync(environment, "keygen", "--out", keys, "--name", "hsm", "--pkcs11-module", SoftHsm.ModulePath, "--token-label", _token, "--pin-env", PinVariable)).ShouldExitWith(0);
        var file = Path.Combine(_temp.CreateFolder("bin"), "true");
        File.Copy("/bin/true", file);

        (await CliRunner.RunAsync(environment, "sign-binary", "--key", Path.Combine(keys, "hsm.key"), file)).ShouldExitWith(0).ShouldHaveNoStackTrace();

        (await CliRunner.RunAsync("verify-binary", "--trust", Path.Combine(keys, "hsm.pub"), file)).ShouldExitWith(0);
        using var process = System.Diagnostics.Process.Start(file)!;
        await process.WaitForExitAsync();
        process.ExitCode.Should().Be(0, "the signed executable still runs");
    }
}
