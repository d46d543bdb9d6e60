using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Attacks;

/// <summary>
/// Attacks on authenticity: documents whose bytes are genuine but whose signatures come from the wrong key,
/// the wrong domain, or one key counted twice toward a threshold.
/// </summary>
public sealed class SignatureAttackTests
{
    public static TheoryData<string> WrongSignatures => new()
    {
        "release signed by an untrusted key",
        "channel pointer signed by an untrusted key",
        "manifest signed by an untrusted key",
        "untrusted signatures claiming the trusted key id",
        "manifest signed for the channel domain",
        "channel pointer signed for the manifest domain",
        "envelopes with no signatures",
        "2-of-2 met twice by the same key",
        "2-of-2 with one signature",
    };

    private static string ChannelPath => UpdateFeedFiles.Resolve(UpdateFeedFiles.Channel);

    private static string ManifestPath => UpdateFeedFiles.Resolve(UpdateFeedFiles.Manifest);

    [Theory]
    [MemberData(nameof(WrongSignatures))]
    public async Task Apply_GenuineReleaseWithWrongSignatures_IsRefusedAndTargetUnchanged(string attack)
    {
        await using var scenario = await AttackScenario.CreateAsync();
        using var attacker = ForgedKey.Create();
        using var second = ForgedKey.Create();
        var release = scenario.Template.ReleaseKey;
        switch (attack)
        {
            case "release signed by an untrusted key":
                ResignBoth(scenario, attacker);
                break;
            case "channel pointer signed by an untrusted key":
                scenario.Forger.Resign(ChannelPath, FeedForger.ChannelType, attacker);
                break;
            case "manifest signed by an untrusted key":
                scenario.Forger.Resign(ManifestPath, FeedForger.ManifestType, attacker);
                break;
            case "untrusted signatures claiming the trusted key id":
                // The envelope claims the trusted key id, but the signature was made by another key.
                foreach (var (path, type) in new[] { (ChannelPath, FeedForger.ChannelType), (ManifestPath, FeedForger.ManifestType) })
                {
                    scenario.Forger.Resign(path, type, attacker);
                    var sig = scenario.FeedPath(path + ".sig");
                    File.WriteAllText(sig, File.ReadAllText(sig).Replace(attacker.KeyId, release.KeyId, StringComparison.Ordinal));
                }

                break;
            case "manifest signed for the channel domain":
                // The trusted key signed the manifest's digest, but under the channel prefix: not a manifest signature.
                scenario.Forger.Resign(ManifestPath, FeedForger.ChannelType, release);
                break;
            case "channel pointer signed for the manifest domain":
                scenario.Forger.Resign(ChannelPath, FeedForger.ManifestType, release);
                break;
            case "envelopes with no signatures":
                ResignBoth(scenario);
                break;
            case "2-of-2 met twice by the same key":
                TrustTwoOfTwo(scenario, second);
                ResignBoth(scenario, release, release);
                break;
            case "2-of-2 with one signature":
                TrustTwoOfTwo(scenario, second);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(attack), attack, null);
        }

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
        TrustTwoOfTwo(scenario, second);
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
        ResignBoth(scenario, stranger, release);

        var result = await scenario.ApplyAsync();

        result.ShouldExitWith(0).ShouldHaveNoStackTrace();
        TargetAssert.ShouldHaveInstalled(scenario.Target, ReleaseInputs.V2);
    }

    /// <summary>Replaces the signatures of both the channel pointer and the manifest with ones by <paramref name="keys"/> (none, or one key twice, included).</summary>
    private static void ResignBoth(AttackScenario scenario, params ForgedKey[] keys)
    {
        scenario.Forger.Resign(ChannelPath, FeedForger.ChannelType, keys);
        scenario.Forger.Resign(ManifestPath, FeedForger.ManifestType, keys);
    }

    /// <summary>
    /// Points the scenario at a new trust file that needs two signatures: the release key's and <paramref name="second"/>'s,
    /// re-provisioning the installed target's trust on purpose (an unrelated trust file is otherwise refused).
    /// </summary>
    private static void TrustTwoOfTwo(AttackScenario scenario, ForgedKey second)
    {
        scenario.ReplaceTrust = true;
        scenario.TrustFile = scenario.Temp.Combine("trust-2-of-2.json");
        FeedForger.WriteTrustFile(scenario.TrustFile, 2, scenario.Template.ReleaseKey, second);
    }
}
