using System.Runtime.Versioning;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.EndToEnd;

/// <summary>
/// <c>--fallback hash-allowlist</c>: a release whose signatures fail (a key the target does not trust, or no
/// signature files) is accepted only when its manifest digest is listed, unexpired, in an owner-only allowlist;
/// every other check still runs, and each use is an <c>allowlisted</c> event.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class HashAllowlistCommandTests
{
    public static TheoryData<string> UnusableAllowlists => new() { "group-writable 0664", "other-writable 0646", "owned by uid 65534", "missing", "not an allowlist" };

    [Fact]
    public async Task Apply_ListedReleaseSignedByUntrustedKey_InstallsAndRecordsAllowlisted()
    {
        await using var scenario = await AttackScenario.CreateAsync(ReleaseInputs.V1);
        var manifestSha256 = await ReleaseWithUntrustedKeyAsync(scenario);
        var allowlist = AllowlistFile.Write(scenario.Temp.Combine("allowlist.json"), manifestSha256, AllowlistFile.FarFuture);

        var result = await scenario.ApplyAsync("--fallback", "hash-allowlist", "--allowlist", allowlist);

        result.ShouldExitWith(0).ShouldHaveNoStackTrace();
        result.JsonString("outcome").Should().Be("updated", result.Describe());
        TargetAssert.ShouldHaveInstalled(scenario.Target, ReleaseInputs.V2);
        var events = await AuditEvents.ReadAsync(scenario.Target);
        events.Where(e => e.Name == "allowlisted").Should().NotBeEmpty("each use of the allowlist is recorded")
            .And.OnlyContain(e => e.FallbackMode == "hash_allowlist" && e.Version == ReleaseInputs.V2 && e.Detail.Contains(manifestSha256, StringComparison.Ordinal));
        events.Should().Contain(e => e.Name == "installed" && e.Version == ReleaseInputs.V2);
        var listed = await CliRunner.RunAsync("events", "--target", scenario.Target);
        listed.ShouldExitWith(0).ShouldHaveNoStackTrace();
        listed.Stdout.Split('\n').Should().Contain(line => line.Contains("allowlisted", StringComparison.Ordinal) && line.Contains("[hash_allowlist]", StringComparison.Ordinal), listed.Describe());
    }

    [Fact]
    public async Task Apply_ListedReleaseWithoutSignatureFiles_IsRefusedPlainAndInstalledWithTheAllowlist()
    {
        await using var scenario = await AttackScenario.CreateAsync();
        File.Delete(scenario.FeedPath(UpdateFeedFiles.Resolve(UpdateFeedFiles.ChannelSignature)));
        File.Delete(scenario.FeedPath(UpdateFeedFiles.Resolve(UpdateFeedFiles.ManifestSignature)));
        var allowlist = AllowlistFile.Write(scenario.Temp.Combine("allowlist.json"), AllowlistFile.ManifestSha256(scenario.Feed, ReleaseInputs.V2), AllowlistFile.FarFuture);

        var plain = await scenario.ApplyAsync();
        scenario.ShouldBeRefused(plain, 3, "signature");
        var result = await scenario.ApplyAsync("--fallback", "hash-allowlist", "--allowlist", allowlist);

        result.ShouldExitWith(0).ShouldHaveNoStackTrace();
        TargetAssert.ShouldHaveInstalled(scenario.Target, ReleaseInputs.V2);
        (await AuditEvents.ReadAsync(scenario.Target)).Should().Contain(e => e.Name == "allowlisted" && e.FallbackMode == "hash_allowlist");
    }

    [Fact]
    public async Task Apply_UnlistedReleaseSignedByUntrustedKey_IsRefused()
    {
        await using var scenario = await AttackScenario.CreateAsync(ReleaseInputs.V1);
        await ReleaseWithUntrustedKeyAsync(scenario);
        // A real, well-formed entry, but for another manifest (the trusted 1.0.0 one).
        var allowlist = AllowlistFile.Write(scenario.Temp.Combine("allowlist.json"), AllowlistFile.ManifestSha256(scenario.Feed, ReleaseInputs.V1), AllowlistFile.FarFuture);

        var result = await scenario.ApplyAsync("--fallback", "hash-allowlist", "--allowlist", allowlist);

        scenario.ShouldBeRefused(result, 3, "signature");
        result.Stderr.Should().Contain("not in the allowlist", result.Describe());
        (await AuditEvents.ReadAsync(scenario.Target)).Should().NotContain(e => e.Name == "allowlisted");
    }

    [Fact]
    public async Task Apply_ListedEntryExpired_IsRefused()
    {
        await using var scenario = await AttackScenario.CreateAsync(ReleaseInputs.V1);
        var manifestSha256 = await ReleaseWithUntrustedKeyAsync(scenario);
        var allowlist = AllowlistFile.Write(scenario.Temp.Combine("allowlist.json"), manifestSha256, AllowlistFile.LongAgo);

        var result = await scenario.ApplyAsync("--fallback", "hash-allowlist", "--allowlist", allowlist);

        scenario.ShouldBeRefused(result, 3, "signature");
        result.Stderr.Should().Contain("expired", result.Describe());
        (await AuditEvents.ReadAsync(scenario.Target)).Should().NotContain(e => e.Name == "allowlisted");
    }

    [Theory]
    [MemberData(nameof(UnusableAllowlists))]
    public async Task ApplyAndVerify_AllowlistUnusable_ExitUsageErrorSayingWhy(string problem)
    {
        await using var scenario = await AttackScenario.CreateAsync(ReleaseInputs.V1);
        var manifestSha256 = await ReleaseWithUntrustedKeyAsync(scenario);
        var allowlist = AllowlistFile.Write(scenario.Temp.Combine("allowlist.json"), manifestSha256, AllowlistFile.FarFuture);
        const UnixFileMode readable = AllowlistFile.OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        string why;
        switch (problem)
        {
            case "group-writable 0664":
                File.SetUnixFileMode(allowlist, readable | UnixFileMode.GroupWrite);
                why = "writable by group or others";
                break;
            case "other-writable 0646":
                File.SetUnixFileMode(allowlist, readable | UnixFileMode.OtherWrite);
                why = "writable by group or others";
                break;
            case "owned by uid 65534":
                UnixFiles.ChangeOwner(allowlist);
                why = "owned by another user";
                break;
            case "missing":
                File.Delete(allowlist);
                why = "does not exist";
                break;
            case "not an allowlist":
                File.WriteAllText(allowlist, "[\"" + manifestSha256 + "\"]\n");
                why = "not valid";
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(problem), problem, null);
        }

        var apply = await scenario.ApplyAsync("--fallback", "hash-allowlist", "--allowlist", allowlist);
        var verify = await CliRunner.RunAsync("verify", "--target", scenario.Target, "--trust", scenario.TrustFile, "--fallback", "hash-allowlist", "--allowlist", allowlist);

        scenario.ShouldBeRefused(apply, 2, "config");
        scenario.Server.RequestLog.Should().BeEmpty("a bad allowlist is found before anything is fetched");
        verify.ShouldExitWith(2).ShouldReportFailureClearly();
        foreach (var result in new[] { apply, verify })
        {
            result.Stderr.Should().Contain("allowlist").And.Contain(why, "stderr says why the allowlist is refused\n{0}", result.Describe());
        }

        scenario.ShouldBeUntouched();
        (await AuditEvents.ReadAsync(scenario.Target)).Should().NotContain(e => e.Name == "allowlisted");
    }

    [Fact]
    public async Task Apply_ListedManifestButTamperedPayload_IsRefused()
    {
        await using var scenario = await AttackScenario.CreateAsync(ReleaseInputs.V1);
        var manifestSha256 = await ReleaseWithUntrustedKeyAsync(scenario);
        var allowlist = AllowlistFile.Write(scenario.Temp.Combine("allowlist.json"), manifestSha256, AllowlistFile.FarFuture);
        FileMutator.Apply(scenario.FeedPath(UpdateFeedFiles.Resolve(UpdateFeedFiles.BlobPrefix + ReleaseInputs.Readme)), FileMutation.Flip);

        var result = await scenario.ApplyAsync("--fallback", "hash-allowlist", "--allowlist", allowlist);

        scenario.ShouldBeRefused(result, 3, "hash_mismatch");
        Directory.Exists(Path.Combine(scenario.Target, "versions", ReleaseInputs.V2)).Should().BeFalse();
    }

    [Theory]
    [InlineData("another app's release", "wrong_app")]
    [InlineData("another channel's release", "wrong_channel")]
    [InlineData("expired manifest", "expired")]
    [InlineData("below the floor", "downgrade")]
    public async Task Apply_ListedReleaseBreakingPolicy_IsRefused(string lie, string errorCode)
    {
        // Only signatures are waived: a listed release is still checked for its app, channel, expiry and the floor.
        await using var scenario = await AttackScenario.CreateAsync(lie == "below the floor" ? ReleaseInputs.V2 : ReleaseInputs.V1);
        var current = ReleaseInputs.V1;
        if (lie == "below the floor")
        {
            (await scenario.ApplyAsync()).ShouldExitWith(0);
            scenario.Recapture();
            current = ReleaseInputs.V2;
        }

        using var stranger = ForgedKey.Create();
        var forged = lie switch
        {
            "another app's release" => scenario.Forger.Publish(ReleaseInputs.App, ReleaseInputs.Channel, ReleaseInputs.V2, ReleaseInputs.Version2, new ForgedReleaseOptions { ManifestApp = "other", ChannelApp = "other" }, stranger),
            "another channel's release" => scenario.Forger.Publish(ReleaseInputs.App, ReleaseInputs.Channel, ReleaseInputs.V2, ReleaseInputs.Version2, new ForgedReleaseOptions { ManifestChannel = "beta", ChannelChannel = "beta" }, stranger),
            "expired manifest" => scenario.Forger.Publish(ReleaseInputs.App, ReleaseInputs.Channel, ReleaseInputs.V2, ReleaseInputs.Version2, new ForgedReleaseOptions { ManifestExpires = DateTimeOffset.UtcNow.AddHours(-1) }, stranger),
            "below the floor" => scenario.Forger.Publish(ReleaseInputs.App, ReleaseInputs.Channel, "1.0.1", ReleaseInputs.Version1, null, stranger),
            _ => throw new ArgumentOutOfRangeException(nameof(lie), lie, null),
        };
        var allowlist = AllowlistFile.Write(scenario.Temp.Combine("allowlist.json"), forged.ManifestSha256, AllowlistFile.FarFuture);

        var result = await scenario.ApplyAsync("--fallback", "hash-allowlist", "--allowlist", allowlist);

        scenario.ShouldBeRefused(result, 3, errorCode, currentVersion: current);
    }

    [Fact]
    public async Task Verify_AllowlistedInstall_VerifiesWithTheAllowlistAndIsResetWithout()
    {
        await using var scenario = await AttackScenario.CreateAsync(ReleaseInputs.V1);
        var manifestSha256 = await ReleaseWithUntrustedKeyAsync(scenario);
        var allowlist = AllowlistFile.Write(scenario.Temp.Combine("allowlist.json"), manifestSha256, AllowlistFile.FarFuture);
        (await scenario.ApplyAsync("--fallback", "hash-allowlist", "--allowlist", allowlist)).ShouldExitWith(0);

        var allowlisted = await CliRunner.RunAsync("verify", "--target", scenario.Target, "--trust", scenario.TrustFile, "--fallback", "hash-allowlist", "--allowlist", allowlist);
        var currentAfterAllowlisted = TargetAssert.CurrentVersion(scenario.Target);
        var plain = await CliRunner.RunAsync("verify", "--target", scenario.Target, "--trust", scenario.TrustFile);

        allowlisted.ShouldExitWith(0).ShouldHaveNoStackTrace();
        allowlisted.Stdout.Should().Contain("Verified " + ReleaseInputs.V2, allowlisted.Describe());
        currentAfterAllowlisted.Should().Be(ReleaseInputs.V2);
        plain.ShouldExitWith(3).ShouldReportFailureClearly();
        plain.Stderr.Should().Contain("Switched back to " + ReleaseInputs.V1, plain.Describe());
        TargetAssert.ShouldHaveInstalled(scenario.Target, ReleaseInputs.V1);
        var events = await AuditEvents.ReadAsync(scenario.Target);
        events.Should().Contain(e => e.Name == "allowlisted" && e.Detail.Contains("installed manifest of " + ReleaseInputs.V2, StringComparison.Ordinal));
        events.Should().Contain(e => e.Name == "reset" && e.Version == ReleaseInputs.V1 && e.FallbackMode == "hard_reset");
    }

    /// <summary>Publishes 1.1.0 into the scenario's feed signed by a key the target does not trust; returns its manifest digest from <c>release --json</c>.</summary>
    private static async Task<string> ReleaseWithUntrustedKeyAsync(AttackScenario scenario)
    {
        var keys = scenario.Temp.Combine("other-keys");
        (await CliRunner.RunAsync("keygen", "--out", keys, "--name", "other")).ShouldExitWith(0);
        var release = await CliRunner.RunAsync(
            "release", "--feed", scenario.Feed, "--app", ReleaseInputs.App, "--version", ReleaseInputs.V2,
            "--input", scenario.Template.InputFolder(ReleaseInputs.V2), "--key", Path.Combine(keys, "other.key"), "--json");
        release.ShouldExitWith(0);
        var manifestSha256 = release.JsonString("manifestSha256");
        manifestSha256.Should().MatchRegex("^[0-9a-f]{64}$", release.Describe());
        manifestSha256.Should().Be(AllowlistFile.ManifestSha256(scenario.Feed, ReleaseInputs.V2), "release --json prints the digest of the manifest it wrote");
        return manifestSha256!;
    }
}
