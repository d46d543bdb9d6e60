using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Attacks;

/// <summary>
/// Attacks on authenticity: documents whose bytes are genuine but whose signatures come from the wrong key,
/// the wrong domain, or one key counted twice toward a threshold.
/// </summary>
public sealed class SignatureAttackTests
{
    private static string ChannelPath => UpdateFeedFiles.Resolve(UpdateFeedFiles.Channel);

    private static string ManifestPath => UpdateFeedFiles.Resolve(UpdateFeedFiles.Manifest);

    [Fact]
    public async Task Apply_ReleaseSignedByUntrustedKey_IsRefusedAndTargetUnchanged()
    {
        await using var scenario = await AttackScenario.CreateAsync();
        using var attacker = ForgedKey.Create();
        scenario.Forger.Resign(ChannelPath, FeedForger.ChannelType, attacker);
        scenario.Forger.Resign(ManifestPath, FeedForger.ManifestType, attacker);

        var result = await scenario.ApplyAsync();

        scenario.ShouldBeRefused(result, 3, "signature");
    }

    [Fact]
    public async Task Apply_ChannelPointerSignedByUntrustedKey_IsRefusedAndTargetUnchanged()
    {
        await using var scenario = await AttackScenario.CreateAsync();
        using var attacker = ForgedKey.Create();
        scenario.Forger.Resign(ChannelPath, FeedForger.ChannelType, attacker);

        var result = await scenario.ApplyAsync();

        scenario.ShouldBeRefused(result, 3, "signature");
    }

    [Fact]
    public async Task Apply_ManifestSignedByUntrustedKey_IsRefusedAndTargetUnchanged()
    {
        await using var scenario = await AttackScenario.CreateAsync();
        using var attacker = ForgedKey.Create();
        scenario.Forger.Resign(ManifestPath, FeedForger.ManifestType, attacker);

        var result = await scenario.ApplyAsync();

        scenario.ShouldBeRefused(result, 3, "signature");
    }

    [Fact]
    public async Task Apply_UntrustedReleaseWithSameKeyIdAsTrustedKey_IsRefusedAndTargetUnchanged()
    {
        // The envelope claims the trusted key id, but the signature was made by another key.
        await using var scenario = await AttackScenario.CreateAsync();
        using var attacker = ForgedKey.Create();
        var trustedId = scenario.Template.ReleaseKey.KeyId;
        foreach (var (path, type) in new[] { (ChannelPath, FeedForger.ChannelType), (ManifestPath, FeedForger.ManifestType) })
        {
            scenario.Forger.Resign(path, type, attacker);
            var sig = scenario.FeedPath(path + ".sig");
            File.WriteAllText(sig, File.ReadAllText(sig).Replace(attacker.KeyId, trustedId, StringComparison.Ordinal));
        }

        var result = await scenario.ApplyAsync();

        scenario.ShouldBeRefused(result, 3, "signature");
    }

    [Fact]
    public async Task Apply_ManifestSignatureMadeForChannelDomain_IsRefusedAndTargetUnchanged()
    {
        // The trusted key signed the manifest's digest, but under the channel prefix: not a manifest signature.
        await using var scenario = await AttackScenario.CreateAsync();
        scenario.Forger.Resign(ManifestPath, FeedForger.ChannelType, scenario.Template.ReleaseKey);

        var result = await scenario.ApplyAsync();

        scenario.ShouldBeRefused(result, 3, "signature");
    }

    [Fact]
    public async Task Apply_ChannelSignatureMadeForManifestDomain_IsRefusedAndTargetUnchanged()
    {
        await using var scenario = await AttackScenario.CreateAsync();
        scenario.Forger.Resign(ChannelPath, FeedForger.ManifestType, scenario.Template.ReleaseKey);

        var result = await scenario.ApplyAsync();

        scenario.ShouldBeRefused(result, 3, "signature");
    }

    [Fact]
    public async Task Apply_EnvelopeWithNoSignatures_IsRefusedAndTargetUnchanged()
    {
        await using var scenario = await AttackScenario.CreateAsync();
        scenario.Forger.Resign(ChannelPath, FeedForger.ChannelType);
        scenario.Forger.Resign(ManifestPath, FeedForger.ManifestType);

        var result = await scenario.ApplyAsync();

        scenario.ShouldBeRefused(result, 3, "signature");
    }

    [Fact]
    public async Task Apply_ThresholdTwoMetTwiceBySameKey_IsRefusedAndTargetUnchanged()
    {
        await using var scenario = await AttackScenario.CreateAsync();
        using var second = ForgedKey.Create();
        var release = scenario.Template.ReleaseKey;
        scenario.TrustFile = scenario.Temp.Combine("trust-2-of-2.json");
        FeedForger.WriteTrustFile(scenario.TrustFile, 2, release, second);
        scenario.Forger.Resign(ChannelPath, FeedForger.ChannelType, release, release);
        scenario.Forger.Resign(ManifestPath, FeedForger.ManifestType, release, release);

        var result = await scenario.ApplyAsync();

        scenario.ShouldBeRefused(result, 3, "signature");
    }

    [Fact]
    public async Task Apply_ThresholdTwoWithOneSignature_IsRefusedAndTargetUnchanged()
    {
        await using var scenario = await AttackScenario.CreateAsync();
        using var second = ForgedKey.Create();
        scenario.TrustFile = scenario.Temp.Combine("trust-2-of-2.json");
        FeedForger.WriteTrustFile(scenario.TrustFile, 2, scenario.Template.ReleaseKey, second);

        var result = await scenario.ApplyAsync();

        scenario.ShouldBeRefused(result, 3, "signature");
    }

    [Fact]
    public async Task Apply_ThresholdTwoMetByTwoDistinctKeys_Updates()
    {
        // The control for the two threshold attacks above: the same trust file accepts two distinct signers.
        await using var scenario = await AttackScenario.CreateAsync();
        using var second = ForgedKey.Create();
        var release = scenario.Template.ReleaseKey;
        scenario.TrustFile = scenario.Temp.Combine("trust-2-of-2.json");
        FeedForger.WriteTrustFile(scenario.TrustFile, 2, release, second);
        scenario.Forger.Resign(ChannelPath, FeedForger.ChannelType, second, release);
        scenario.Forger.Resign(ManifestPath, FeedForger.ManifestType, release, second);

        var result = await scenario.ApplyAsync();

        result.ShouldExitWith(0).ShouldHaveNoStackTrace();
        TargetAssert.ShouldHaveInstalled(scenario.Target, ReleaseInputs.V2);
    }

    [Fact]
    public async Task Apply_UntrustedSignaturesBesideTrustedOne_Updates()
    {
        // Untrusted key ids count nothing, but they do not spoil a threshold that trusted keys meet.
        await using var scenario = await AttackScenario.CreateAsync();
        using var stranger = ForgedKey.Create();
        var release = scenario.Template.ReleaseKey;
        scenario.Forger.Resign(ChannelPath, FeedForger.ChannelType, stranger, release);
        scenario.Forger.Resign(ManifestPath, FeedForger.ManifestType, stranger, release);

        var result = await scenario.ApplyAsync();

        result.ShouldExitWith(0).ShouldHaveNoStackTrace();
        TargetAssert.ShouldHaveInstalled(scenario.Target, ReleaseInputs.V2);
    }
}
