using System.Security.Cryptography;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Attacks;

/// <summary>
/// Properly signed documents that are not what formats.md allows: parser differentials (duplicate or unknown
/// properties, comments, trailing commas), a pointer and manifest that disagree, versions that are paths,
/// and declared sizes beyond the caps. Signatures cannot make them acceptable.
/// </summary>
public sealed class MalformedDocumentTests
{
    private static readonly string s_versionLine = $"\"version\": \"{ReleaseInputs.V2}\",";

    public static TheoryData<string> MalformedManifests => new()
    {
        "duplicate app",
        "duplicate version",
        "unknown property",
        "unknown file property",
        "trailing comma",
        "comment",
        "wrong schema",
        "missing expires",
        "negative size",
        "not json",
    };

    public static TheoryData<string> MalformedPointers => new()
    {
        "duplicate version",
        "unknown property",
        "missing manifestSha256",
        "wrong schema",
        "trailing garbage",
    };

    [Theory]
    [MemberData(nameof(MalformedManifests))]
    public async Task Apply_SignedManifestThatIsMalformed_IsRefusedAndTargetUnchanged(string defect)
    {
        await using var scenario = await AttackScenario.CreateAsync(ReleaseInputs.V1);
        var text = HonestManifest();
        text = defect switch
        {
            "duplicate app" => Replace(text, $"\"app\": \"{ReleaseInputs.App}\",", $"\"app\": \"other\",\n  \"app\": \"{ReleaseInputs.App}\","),
            "duplicate version" => Replace(text, s_versionLine, s_versionLine + "\n  \"version\": \"9.9.9\","),
            "unknown property" => Replace(text, s_versionLine, s_versionLine + "\n  \"postInstall\": \"rm -rf /\","),
            "unknown file property" => Replace(text, "\"executable\": true", "\"executable\": true,\n      \"setuid\": true"),
            "trailing comma" => Replace(text, "\"executable\": false\n", "\"executable\": false,\n"),
            "comment" => Replace(text, s_versionLine, s_versionLine + " // looks harmless"),
            "wrong schema" => Replace(text, "secure-update/manifest/v1", "secure-update/manifest/v2"),
            "missing expires" => RemoveLine(text, "\"expires\""),
            "negative size" => Replace(text, $"\"size\": {ReleaseInputs.File(ReleaseInputs.V2, ReleaseInputs.Readme).Content.Length},", "\"size\": -1,"),
            "not json" => "version = 1.1.0\n",
            _ => throw new ArgumentOutOfRangeException(nameof(defect), defect, null),
        };
        scenario.Forger.PublishManifestText(ReleaseInputs.App, ReleaseInputs.Channel, ReleaseInputs.V2, text, null, scenario.Template.ReleaseKey);

        var result = await scenario.ApplyAsync();

        scenario.ShouldBeRefused(result, 3, "malformed");
        NoBlobShouldHaveBeenRequested(scenario);
    }

    [Theory]
    [MemberData(nameof(MalformedPointers))]
    public async Task Apply_SignedChannelPointerThatIsMalformed_IsRefusedAndTargetUnchanged(string defect)
    {
        await using var scenario = await AttackScenario.CreateAsync();
        var manifest = File.ReadAllBytes(scenario.FeedPath(UpdateFeedFiles.Resolve(UpdateFeedFiles.Manifest)));
        var text = FeedForger.ChannelJson(
            ReleaseInputs.App, ReleaseInputs.Channel, ReleaseInputs.V2, Convert.ToHexStringLower(SHA256.HashData(manifest)), manifest.Length,
            DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(7));
        text = defect switch
        {
            "duplicate version" => Replace(text, s_versionLine, s_versionLine + "\n  \"version\": \"9.9.9\","),
            "unknown property" => Replace(text, s_versionLine, s_versionLine + "\n  \"mirror\": \"http://evil.example\","),
            "missing manifestSha256" => RemoveLine(text, "\"manifestSha256\""),
            "wrong schema" => Replace(text, "secure-update/channel/v1", "secure-update/manifest/v1"),
            "trailing garbage" => text + "{}",
            _ => throw new ArgumentOutOfRangeException(nameof(defect), defect, null),
        };
        scenario.Forger.WriteSigned(UpdateFeedFiles.Resolve(UpdateFeedFiles.Channel), text, FeedForger.ChannelType, scenario.Template.ReleaseKey);

        var result = await scenario.ApplyAsync();

        scenario.ShouldBeRefused(result, 3, "malformed");
        NoBlobShouldHaveBeenRequested(scenario);
    }

    [Fact]
    public async Task Apply_ManifestVersionDiffersFromPointerVersion_IsRefusedAndTargetUnchanged()
    {
        // The pointer names 1.1.0 and binds these exact bytes, but the manifest inside says 1.2.0.
        await using var scenario = await AttackScenario.CreateAsync(ReleaseInputs.V1);
        WriteV2Blobs(scenario);
        var text = FeedForger.ManifestJson(
            ReleaseInputs.App, ReleaseInputs.Channel, "1.2.0", DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(30), ReleaseInputs.Version2);
        scenario.Forger.PublishManifestText(ReleaseInputs.App, ReleaseInputs.Channel, ReleaseInputs.V2, text, null, scenario.Template.ReleaseKey);

        var result = await scenario.ApplyAsync();

        scenario.ShouldBeRefused(result, 3);
    }

    [Theory]
    [InlineData("../../../../evil")]
    [InlineData("1.1.0/../../../../evil")]
    [InlineData("1.1.0/evil")]
    public async Task Apply_SignedVersionThatIsAPath_IsRefusedAndNothingWrittenAnywhere(string version)
    {
        await using var scenario = await AttackScenario.CreateAsync(ReleaseInputs.V1);
        WriteV2Blobs(scenario);
        var manifest = FeedForger.ManifestJson(
            ReleaseInputs.App, ReleaseInputs.Channel, version, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(30), ReleaseInputs.Version2);

        // Served where an unchecked "APP/CHANNEL/manifests/" + version + ".json" would look for it, and at the honest path.
        var manifestBytes = scenario.Forger.WriteSigned(
            FeedForger.ManifestPath(ReleaseInputs.App, ReleaseInputs.Channel, ReleaseInputs.V2), manifest, FeedForger.ManifestType, scenario.Template.ReleaseKey);
        scenario.Forger.WriteChannel(
            ReleaseInputs.App, ReleaseInputs.Channel, ReleaseInputs.App, ReleaseInputs.Channel, version, manifestBytes,
            DateTimeOffset.UtcNow.AddDays(7), scenario.Template.ReleaseKey);

        var result = await scenario.ApplyAsync();

        scenario.ShouldBeRefused(result, 3);
        Directory.EnumerateFileSystemEntries(scenario.Temp.Path, "evil*", SearchOption.AllDirectories).Should().BeEmpty();
        scenario.Server.RequestLog.Should().OnlyContain(
            path => path.StartsWith($"{ReleaseInputs.App}/{ReleaseInputs.Channel}/channel.json", StringComparison.Ordinal) || path.StartsWith("trust/", StringComparison.Ordinal),
            "a version that is not SemVer is refused before anything is fetched by it");
    }

    [Fact]
    public async Task Apply_PointerDeclaringManifestSmallerThanItIs_IsRefusedAndTargetUnchanged()
    {
        await using var scenario = await AttackScenario.CreateAsync();
        var manifest = File.ReadAllBytes(scenario.FeedPath(UpdateFeedFiles.Resolve(UpdateFeedFiles.Manifest)));
        var text = FeedForger.ChannelJson(
            ReleaseInputs.App, ReleaseInputs.Channel, ReleaseInputs.V2, Convert.ToHexStringLower(SHA256.HashData(manifest)), manifest.Length - 1,
            DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(7));
        scenario.Forger.WriteSigned(UpdateFeedFiles.Resolve(UpdateFeedFiles.Channel), text, FeedForger.ChannelType, scenario.Template.ReleaseKey);

        var result = await scenario.ApplyAsync();

        scenario.ShouldBeRefused(result, 3);
    }

    [Fact]
    public async Task Apply_ManifestDeclaringMoreThanTheTotalSizeCap_IsRefusedBeforeDownloading()
    {
        // 65 GiB declared across the release: over the 64 GiB cap, so nothing is fetched and nothing is written.
        await using var scenario = await AttackScenario.CreateAsync(ReleaseInputs.V1);
        WriteV2Blobs(scenario);
        var huge = Convert.ToHexStringLower(SHA256.HashData("huge"u8));
        var text = Replace(
            HonestManifest(),
            "\"files\": [",
            $"\"files\": [\n    {{\n      \"path\": \"huge.bin\",\n      \"size\": {65L * 1024 * 1024 * 1024},\n      \"sha256\": \"{huge}\",\n      \"executable\": false\n    }},");
        scenario.Forger.PublishManifestText(ReleaseInputs.App, ReleaseInputs.Channel, ReleaseInputs.V2, text, null, scenario.Template.ReleaseKey);

        var result = await scenario.ApplyAsync();

        scenario.ShouldBeRefused(result, 3, "too_large");
        NoBlobShouldHaveBeenRequested(scenario);
    }

    private static string HonestManifest() =>
        FeedForger.ManifestJson(
            ReleaseInputs.App, ReleaseInputs.Channel, ReleaseInputs.V2, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(30), ReleaseInputs.Version2);

    private static void WriteV2Blobs(AttackScenario scenario)
    {
        foreach (var file in ReleaseInputs.Version2)
        {
            scenario.Forger.WriteBlob(file);
        }
    }

    private static string Replace(string text, string find, string replacement)
    {
        text.Should().Contain(find, "the test's edit must apply to the honest document");
        return text.Replace(find, replacement, StringComparison.Ordinal);
    }

    private static string RemoveLine(string text, string containing)
    {
        var lines = text.Split('\n');
        lines.Should().ContainSingle(line => line.Contains(containing, StringComparison.Ordinal));
        return string.Join('\n', lines.Where(line => !line.Contains(containing, StringComparison.Ordinal)));
    }

    private static void NoBlobShouldHaveBeenRequested(AttackScenario scenario) =>
        scenario.Server.RequestLog.Should().NotContain(
            path => path.StartsWith("blobs/", StringComparison.Ordinal), "nothing is downloaded on the word of a refused document");
}
