using System.Runtime.Versioning;
using FluentAssertions;
using SecureUpdate.Tests.Infrastructure;
using SecureUpdate.Tests.SingleFile;

namespace SecureUpdate.Tests.SelfContained;

/// <summary>
/// One file (issue 12, item 1): the published NativeAOT <c>secure-update</c> is all a host needs. In a root holding only
/// the executable, the C library files <c>ldd</c> lists, <c>/tmp</c>, <c>/dev/urandom</c> and a test CA bundle, it makes
/// keys, signs a release, installs it over HTTPS from a loopback server whose certificate the test CA signed, and updates
/// its own file. Runs only against the native executable (test.sh's second pass); in any other run it fails, never skips.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class OneFileChrootTests
{
    private const string App = "demo";

    [Fact]
    public async Task PublishedExecutable_StandsAlone_NoLibraryBesideItAndOnlyTheCLibraryLinked()
    {
        RequireNative();
        var folder = Path.GetDirectoryName(CliUnderTest.FileName)!;

        Directory.EnumerateFiles(folder, "libsodium*").Should().BeEmpty("libsodium is carried inside the executable");
        Directory.EnumerateFiles(folder, "*.so*").Should().BeEmpty("the executable is the only file a host needs");
        var libraries = await MinimalRoot.SharedLibrariesAsync(CliUnderTest.FileName);
        libraries.Should().NotBeEmpty();
        libraries.Select(Path.GetFileName).Should().OnlyContain(name => MinimalRoot.CLibraryFamily.Contains(name!),
            "OpenSSL is linked statically and libsodium is embedded, so ldd lists only the C library family: {0}", string.Join(", ", libraries));
    }

    [Fact]
    public async Task Chroot_KeygenReleaseApplyOverHttps_ThenUpdatesItsOwnFile()
    {
        RequireNative();
        using var certificates = TestCertificates.Create();
        using var root = await MinimalRoot.CreateAsync(certificates.AuthorityPem);
        var tls = new Dictionary<string, string> { ["SSL_CERT_FILE"] = MinimalRoot.CaBundle };

        (await root.RunAsync(MinimalRoot.Executable, null, "keygen", "--out", "/keys")).ShouldExitWith(0).ShouldHaveNoStackTrace();
        Directory.CreateDirectory(root.Host("/in"));
        var payload = "hello from a bare root\n"u8.ToArray();
        File.WriteAllBytes(root.Host("/in/app.txt"), payload);
        (await root.RunAsync(MinimalRoot.Executable, null, "release", "--feed", "/feed", "--app", App, "--version", "1.0.0", "--input", "/in", "--key", "/keys/release.key"))
            .ShouldExitWith(0).ShouldHaveNoStackTrace();

        await using var server = await HttpsFolderServer.StartAsync(root.Host("/feed"), certificates.Server);
        var apply = await root.RunAsync(MinimalRoot.Executable, tls, "apply", "--feed", server.Url, "--trust", "/keys/release.pub", "--target", "/target", "--app", App, "--json");

        apply.ShouldExitWith(0).ShouldHaveNoStackTrace();
        apply.JsonString("outcome").Should().Be("installed", apply.Describe());
        File.ReadAllBytes(root.Host("/target/current/app.txt")).Should().Equal(payload);
        Directory.EnumerateFileSystemEntries(root.Host("/tmp")).Should().BeEmpty("the embedded libsodium's private copy is removed once mapped");

        // Self-update: a copy of the executable in the root replaces its own file from releases of itself, over HTTPS.
        var original = File.ReadAllBytes(root.Host(MinimalRoot.Executable));
        byte[] updated = [.. original, (byte)'\n'];
        WriteRelease(root, "/cli-1", original);
        WriteRelease(root, "/cli-2", updated);
        Directory.CreateDirectory(root.Host("/bin"));
        File.SetUnixFileMode(root.Host("/bin"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.Copy(root.Host(MinimalRoot.Executable), root.Host("/bin/secure-update"));
        File.SetUnixFileMode(root.Host("/bin/secure-update"), File.GetUnixFileMode(root.Host(MinimalRoot.Executable)));
        (await root.RunAsync(MinimalRoot.Executable, null, "release", "--feed", "/feed", "--app", "secure-update", "--version", "1.0.0", "--input", "/cli-1", "--key", "/keys/release.key"))
            .ShouldExitWith(0);
        string[] selfApply = ["apply", "--feed", server.Url, "--trust", "/keys/release.pub", "--target-file", "/bin/secure-update", "--json"];

        var install = await root.RunAsync("/bin/secure-update", tls, [.. selfApply, "--app", "secure-update"]);

        install.ShouldExitWith(0).ShouldHaveNoStackTrace();
        install.JsonString("outcome").Should().Be("installed", install.Describe());

        (await root.RunAsync(MinimalRoot.Executable, null, "release", "--feed", "/feed", "--app", "secure-update", "--version", "2.0.0", "--input", "/cli-2", "--key", "/keys/release.key"))
            .ShouldExitWith(0);
        var update = await root.RunAsync("/bin/secure-update", tls, selfApply);

        update.ShouldExitWith(0).ShouldHaveNoStackTrace();
        update.JsonString("outcome").Should().Be("updated", update.Describe());
        File.ReadAllBytes(root.Host("/bin/secure-update")).Should().Equal(updated, "the running executable replaced its own file");
        (await root.RunAsync("/bin/secure-update", null, "--version")).ShouldExitWith(0).ShouldHaveNoStackTrace();
        var verify = await root.RunAsync("/bin/secure-update", null, "verify", "--target-file", "/bin/secure-update", "--trust", "/keys/release.pub", "--json");
        verify.ShouldExitWith(0).JsonString("version").Should().Be("2.0.0", verify.Describe());
    }

    [Fact]
    public async Task Chroot_ApplyOverHttpsWithoutTheTestCa_FailsAsTransport_TargetNeverCreated()
    {
        RequireNative();
        using var certificates = TestCertificates.Create();
        using var root = await MinimalRoot.CreateAsync(caPem: null);
        (await root.RunAsync(MinimalRoot.Executable, null, "keygen", "--out", "/keys")).ShouldExitWith(0);
        Directory.CreateDirectory(root.Host("/in"));
        File.WriteAllText(root.Host("/in/app.txt"), "payload\n");
        (await root.RunAsync(MinimalRoot.Executable, null, "release", "--feed", "/feed", "--app", App, "--version", "1.0.0", "--input", "/in", "--key", "/keys/release.key"))
            .ShouldExitWith(0);
        await using var server = await HttpsFolderServer.StartAsync(root.Host("/feed"), certificates.Server);

        // No CA bundle in the root: the statically linked OpenSSL trusts nothing, so the server's certificate is refused.
        var apply = await root.RunAsync(MinimalRoot.Executable, new Dictionary<string, string> { ["SSL_CERT_FILE"] = MinimalRoot.CaBundle },
            "apply", "--feed", server.Url, "--trust", "/keys/release.pub", "--target", "/target", "--app", App);

        apply.ShouldExitWith(4).ShouldHaveNoStackTrace();
        Directory.Exists(root.Host("/target")).Should().BeFalse("a refused download leaves the target as it was: absent");
    }

    private static void WriteRelease(MinimalRoot root, string folder, byte[] executable)
    {
        Directory.CreateDirectory(root.Host(folder));
        var path = root.Host(folder + "/secure-update");
        File.WriteAllBytes(path, executable);
        File.SetUnixFileMode(path, File.GetUnixFileMode(root.Host(MinimalRoot.Executable)));
    }

    private static void RequireNative() =>
        CliUnderTest.IsNative.Should().BeTrue(
            "these tests prove the published NativeAOT executable stands alone: set SECURE_UPDATE_CLI to it (test.sh's second pass does)");
}
