using System.Text;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Attacks;

/// <summary>
/// Attacks on a first install (nothing installed before): refused, and afterwards there is no
/// <c>current</c> and nothing under <c>versions/</c>.
/// </summary>
public sealed class FirstInstallAttackTests
{
    public static TheoryData<string, FileMutation> TamperedFiles => new()
    {
        { UpdateFeedFiles.Channel, FileMutation.Flip },
        { UpdateFeedFiles.ChannelSignature, FileMutation.Empty },
        { UpdateFeedFiles.Manifest, FileMutation.Extend },
        { UpdateFeedFiles.ManifestSignature, FileMutation.Truncate },
        { UpdateFeedFiles.BlobPrefix + ReleaseInputs.Library, FileMutation.Flip },
        { UpdateFeedFiles.BlobPrefix + ReleaseInputs.Unchanged, FileMutation.Truncate },
    };

    public static TheoryData<string, string> ForgedReleases => new()
    {
        { "signed by an untrusted key", "signature" },
        { "expired pointer", "expired" },
        { "another app's release", "wrong_app" },
    };

    [Fact]
    public async Task Apply_FirstInstallFromIndependentlySignedFeed_InstallsExactFiles()
    {
        // The control for this class: a first install of an honest release written by the independent signer.
        await using var scenario = await AttackScenario.CreateAsync(installed: false);
        scenario.Forger.Publish(ReleaseInputs.App, ReleaseInputs.Channel, "1.2.0", ReleaseInputs.Version2, null, scenario.Template.ReleaseKey);

        var result = await scenario.ApplyAsync();

        result.ShouldExitWith(0).ShouldHaveNoStackTrace();
        result.JsonString("outcome").Should().Be("installed", result.Describe());
        TargetAssert.CurrentVersion(scenario.Target).Should().Be("1.2.0");
        TargetAssert.ShouldHoldExactly(Path.Combine(scenario.Target, "versions", "1.2.0"), ReleaseInputs.Version2);
    }

    [Theory]
    [MemberData(nameof(TamperedFiles))]
    public async Task Apply_FirstInstallWithTamperedFeedFile_IsRefusedAndNothingInstalled(string file, FileMutation mutation)
    {
        await using var scenario = await AttackScenario.CreateAsync(installed: false);
        FileMutator.Apply(scenario.FeedPath(UpdateFeedFiles.Resolve(file)), mutation);

        var result = await scenario.ApplyAsync();

        scenario.ShouldBeRefused(result, 3);
    }

    [Theory]
    [MemberData(nameof(ForgedReleases))]
    public async Task Apply_FirstInstallOfForgedRelease_IsRefusedAndNothingInstalled(string lie, string errorCode)
    {
        await using var scenario = await AttackScenario.CreateAsync(installed: false);
        using var attacker = ForgedKey.Create();
        var key = lie == "signed by an untrusted key" ? attacker : scenario.Template.ReleaseKey;
        ForgedReleaseOptions? options = lie switch
        {
            "signed by an untrusted key" => null,
            "expired pointer" => new ForgedReleaseOptions { ChannelExpires = DateTimeOffset.UtcNow.AddMinutes(-1) },
            "another app's release" => new ForgedReleaseOptions { ManifestApp = "other", ChannelApp = "other" },
            _ => throw new ArgumentOutOfRangeException(nameof(lie), lie, null),
        };
        scenario.Forger.Publish(ReleaseInputs.App, ReleaseInputs.Channel, ReleaseInputs.V2, ReleaseInputs.Version2, options, key);

        var result = await scenario.ApplyAsync();

        scenario.ShouldBeRefused(result, 3, errorCode);
    }

    [Fact]
    public async Task Apply_FirstInstallWithPathTraversal_IsRefusedAndNothingInstalled()
    {
        await using var scenario = await AttackScenario.CreateAsync(installed: false);
        scenario.Forger.Publish(
            ReleaseInputs.App, ReleaseInputs.Channel, ReleaseInputs.V2,
            [.. ReleaseInputs.Version2, new ForgedFile("../../../escape.txt", Encoding.UTF8.GetBytes("escaped\n"))], null, scenario.Template.ReleaseKey);

        var result = await scenario.ApplyAsync();

        scenario.ShouldBeRefused(result, 3, "unsafe_path");
        Directory.EnumerateFiles(scenario.Temp.Path, "escape*", SearchOption.AllDirectories).Should().BeEmpty();
    }

    [Fact]
    public async Task Apply_FirstInstallWithEndlessBlob_IsRefusedAndNothingInstalled()
    {
        await using var scenario = await AttackScenario.CreateAsync(installed: false);
        scenario.Server.ServeEndless(UpdateFeedFiles.Resolve(UpdateFeedFiles.BlobPrefix + ReleaseInputs.Unchanged));

        var result = await scenario.ApplyAsync();

        scenario.ShouldBeRefused(result, 3);
    }
}
