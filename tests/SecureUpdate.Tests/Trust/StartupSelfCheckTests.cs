using System.Diagnostics;
using System.IO.Abstractions;
using System.Runtime.Versioning;
using SecureUpdate.Errors;
using SecureUpdate.Publishing;
using SecureUpdate.Tests.Infrastructure;
using SecureUpdate.Trust;

namespace SecureUpdate.Tests.Trust;

/// <summary>
/// The start-up self-check (<see cref="VerifiedLaunch.VerifySelf"/>): a process checks the image it was started
/// from, through its <c>/proc/PID/exe</c> link, not the path, which may name another file by now.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class StartupSelfCheckTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly ForgedKey _a = ForgedKey.Create();

    private TrustRoot TrustA => TrustRoot.Parse(TrustFileJson.Build(1, [(_a.KeyId, _a.PublicKeyBase64)]));

    public void Dispose()
    {
        _a.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public void VerifySelf_UnsignedExecutable_Refused()
    {
        // The test host is not signed: an app whose executable is not signed must not pass its own check.
        var act = () => VerifiedLaunch.VerifySelf(TrustA);

        act.Should().Throw<VerificationException>().WithMessage("*carries no signature trailer*");
    }

    [Fact]
    public void VerifyImage_SignedProcessWhosePathWasReplaced_ChecksTheImageItStartedFrom()
    {
        var program = _temp.Combine("sleep");
        File.Copy("/bin/sleep", program);
        var key = _temp.Combine("a.key");
        _a.WritePrivateKeyFile(key);
        new BinarySigner(new FileSystem()).Sign(program, [key]);
        using var process = Process.Start(program, "30");
        try
        {
            // An unsigned file renamed over the path: the running image is still the signed one.
            var unsigned = _temp.Combine("unsigned");
            File.Copy("/bin/sleep", unsigned);
            File.Move(unsigned, program, overwrite: true);

            var result = VerifiedLaunch.VerifyImage($"/proc/{process.Id}/exe", program, TrustA);

            result.KeyIds.Should().Equal(_a.KeyId);
            result.PayloadBytes.Should().Be(new FileInfo("/bin/sleep").Length);
            var byPath = () => BinarySignature.Verify(program, TrustA);
            byPath.Should().Throw<VerificationException>("the file now at the path is the unsigned one");
        }
        finally
        {
            process.Kill();
            process.WaitForExit();
        }
    }
}
