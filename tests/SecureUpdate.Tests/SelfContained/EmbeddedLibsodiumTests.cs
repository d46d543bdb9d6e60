using System.Runtime.Versioning;
using FluentAssertions;
using SecureUpdate.Tests.SingleFile;

namespace SecureUpdate.Tests.SelfContained;

/// <summary>
/// The published executable loads only the libsodium it carries: when that cannot be loaded (no <c>/proc</c> and no
/// writable temp folder), it fails with one clear message rather than fall back to a <c>libsodium.so</c> beside it or on
/// the library path, which nothing has verified. Native executable only (test.sh's second pass); fails, never skips, elsewhere.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class EmbeddedLibsodiumTests
{
    [Fact]
    public async Task Chroot_EmbeddedCopyCannotBeLoaded_PlantedLibsodiumBesideItIsNeverLoaded_KeygenFailsClearly()
    {
        CliUnderTest.IsNative.Should().BeTrue(
            "this test proves the published NativeAOT executable ignores libraries beside it: set SECURE_UPDATE_CLI to it (test.sh's second pass does)");
        using var root = await MinimalRoot.CreateAsync(caPem: null, withTmp: false);

        // A genuine, working libsodium planted where the runtime's default search would find it: beside the executable.
        var planted = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libsodium.so");
        File.Exists(planted).Should().BeTrue("the test build carries NSec's libsodium.so to plant");
        File.Copy(planted, root.Host("/libsodium.so"));

        var keygen = await root.RunAsync(MinimalRoot.Executable, null, "keygen", "--out", "/keys");

        keygen.ShouldExitWith(1).ShouldHaveNoStackTrace();
        keygen.Stderr.Should().Contain("The native crypto library (libsodium) could not be loaded", keygen.Describe());
        Directory.Exists(root.Host("/keys")).Should().BeFalse("a refused keygen writes nothing");
    }
}
