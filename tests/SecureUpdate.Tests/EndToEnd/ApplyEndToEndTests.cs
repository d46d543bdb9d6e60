using System.Security.Cryptography;
using System.Text.Json;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.EndToEnd;

/// <summary>
/// The whole product through real processes: keygen, release 1.0.0, install, release 1.1.0, update,
/// re-apply, status, verify; over HTTP from a real Kestrel server and from a local feed folder.
/// </summary>
public sealed class ApplyEndToEndTests
{
    public static TheoryData<string> Transports => new() { "http", "folder" };

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Apply_InstallUpdateReapply_TargetHoldsExactlyTheSignedFiles(string transport)
    {
        using var temp = new TempFolder();
        var keys = temp.Combine("keys");
        (await CliRunner.RunAsync("keygen", "--out", keys)).ShouldExitWith(0);
        var keyFile = Path.Combine(keys, "release.key");
        var trustFile = Path.Combine(keys, "release.pub");
        File.Exists(trustFile).Should().BeTrue("keygen writes NAME.pub with NAME defaulting to \"release\"");

        ReleaseInputs.WriteFolder(temp.Combine("in", ReleaseInputs.V1), ReleaseInputs.Version1);
        ReleaseInputs.WriteFolder(temp.Combine("in", ReleaseInputs.V2), ReleaseInputs.Version2);
        var feed = temp.CreateFolder("feed");
        var target = temp.Combine("target");
        await using var server = await FeedServer.StartAsync(feed);
        var feedArgument = transport == "http" ? server.Url : feed;

        // 1.0.0: release, then a first install that names the app.
        var released = await ReleaseAsync(feed, ReleaseInputs.V1, temp.Combine("in", ReleaseInputs.V1), keyFile);
        var install = (await CliRunner.RunAsync(
            "apply", "--feed", feedArgument, "--trust", trustFile, "--target", target, "--app", ReleaseInputs.App, "--json"))
            .ShouldExitWith(0).ShouldHaveNoStackTrace();
        install.JsonString("outcome").Should().Be("installed", install.Describe());
        install.JsonString("version").Should().Be(ReleaseInputs.V1, install.Describe());
        TargetAssert.ShouldHaveInstalled(target, ReleaseInputs.V1);
        released.GetProperty("manifestSha256").GetString().Should().Be(
            Sha256OfFile(Path.Combine(target, ".secure-update", "manifests", ReleaseInputs.V1 + ".json")),
            "the target keeps the installed manifest exactly as received");

        // 1.1.0: the app is remembered; only what changed is downloaded.
        await ReleaseAsync(feed, ReleaseInputs.V2, temp.Combine("in", ReleaseInputs.V2), keyFile);
        var requestsBeforeUpdate = server.RequestLog.Count;
        var update = (await CliRunner.RunAsync("apply", "--feed", feedArgument, "--trust", trustFile, "--target", target, "--json"))
            .ShouldExitWith(0).ShouldHaveNoStackTrace();
        update.JsonString("outcome").Should().Be("updated", update.Describe());
        update.JsonString("version").Should().Be(ReleaseInputs.V2, update.Describe());
        TargetAssert.ShouldHaveInstalled(target, ReleaseInputs.V2);
        TargetAssert.ShouldHoldExactly(Path.Combine(target, "versions", ReleaseInputs.V1), ReleaseInputs.Version1);
        if (transport == "http")
        {
            var updateRequests = server.RequestLog.Skip(requestsBeforeUpdate).ToArray();
            var unchanged = FeedForger.BlobPath(ReleaseInputs.File(ReleaseInputs.V2, ReleaseInputs.Unchanged).Sha256);
            updateRequests.Should().NotContain(unchanged, "a file identical in both releases is reused, not downloaded again");
            foreach (var changed in UpdateFeedFiles.ChangedFiles(ReleaseInputs.V1, ReleaseInputs.V2))
            {
                updateRequests.Should().Contain(FeedForger.BlobPath(changed.Sha256), "{0} changed and must come from the feed", changed.Path);
            }
        }

        // Re-apply: nothing new, nothing downloaded, nothing changed.
        var beforeReapply = TargetSnapshot.Capture(target);
        var requestsBeforeReapply = server.RequestLog.Count;
        var reapply = (await CliRunner.RunAsync("apply", "--feed", feedArgument, "--trust", trustFile, "--target", target, "--json"))
            .ShouldExitWith(0).ShouldHaveNoStackTrace();
        reapply.JsonString("outcome").Should().Be("current", reapply.Describe());
        reapply.JsonString("version").Should().Be(ReleaseInputs.V2, reapply.Describe());
        beforeReapply.ShouldBeUnchanged("re-applying the installed release is a no-op");
        if (transport == "http")
        {
            server.RequestLog.Skip(requestsBeforeReapply).Should().NotContain(
                path => path.StartsWith("blobs/", StringComparison.Ordinal), "re-applying the current release downloads no payload");
        }

        // Status names the app, channel, current and installed versions.
        var status = (await CliRunner.RunAsync("status", "--target", target, "--json")).ShouldExitWith(0).ShouldHaveNoStackTrace();
        StatusReader.App(status).Should().Be(ReleaseInputs.App, status.Describe());
        StatusReader.Channel(status).Should().Be(ReleaseInputs.Channel, status.Describe());
        StatusReader.Current(status).Should().Be(ReleaseInputs.V2, status.Describe());
        StatusReader.Installed(status).Should().BeEquivalentTo([ReleaseInputs.V1, ReleaseInputs.V2], status.Describe());

        // Verify: intact, then one installed byte changed.
        (await CliRunner.RunAsync("verify", "--target", target, "--trust", trustFile)).ShouldExitWith(0).ShouldHaveNoStackTrace();
        var installedReadme = Path.Combine(target, "versions", ReleaseInputs.V2, ReleaseInputs.Readme);
        File.AppendAllText(installedReadme, "tampered");
        (await CliRunner.RunAsync("verify", "--target", target, "--trust", trustFile)).ShouldExitWith(3).ShouldReportFailureClearly();
    }

    private static async Task<JsonElement> ReleaseAsync(string feed, string version, string input, string keyFile)
    {
        var result = (await CliRunner.RunAsync(
            "release", "--feed", feed, "--app", ReleaseInputs.App, "--version", version, "--input", input, "--key", keyFile, "--json"))
            .ShouldExitWith(0).ShouldHaveNoStackTrace();
        var json = result.Json();
        result.JsonString("app").Should().Be(ReleaseInputs.App, result.Describe());
        result.JsonString("version").Should().Be(version, result.Describe());
        result.JsonString("channel").Should().Be(ReleaseInputs.Channel, "the channel defaults to stable\n{0}", result.Describe());
        result.JsonString("manifestSha256").Should().Be(
            Sha256OfFile(Path.Combine(feed, FeedForger.ManifestPath(ReleaseInputs.App, ReleaseInputs.Channel, version))),
            "manifestSha256 is the digest of the manifest written to the feed\n{0}", result.Describe());
        return json;
    }

    private static string Sha256OfFile(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
}
