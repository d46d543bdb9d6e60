using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Samples;

/// <summary>
/// samples/ToolWithUpdateCheck, published as one executable against the SecureUpdate package: installed with
/// <c>secure-update apply --target-file</c>, <c>tool self-update</c> replaces its own file with a newer signed
/// release, and leaves it exactly as it was when the release was tampered with.
/// </summary>
public sealed class ToolWithUpdateCheckTests
{
    private const string V1 = "1.0.0";
    private const string V2 = "1.1.0";

    [Fact]
    public async Task SelfUpdate_NewerSignedRelease_ReplacesItsOwnFile()
    {
        await using var world = await ToolWorld.CreateAsync();
        await InstallV1Async(world);
        await world.ReleaseAsync(V2);

        var update = await world.RunAsync("self-update", "--feed", world.Feed.Url, "--trust", world.Feed.TrustFile);

        update.ShouldExitWith(0).ShouldHaveNoStackTrace();
        update.Stdout.Should().Contain($"updated from {V1} to {V2}", update.Describe());
        (await world.RunAsync("--version")).ShouldExitWith(0).Stdout.Trim().Should().Be(V2);
        File.ReadAllBytes(world.Tool).Should().Equal(File.ReadAllBytes(await SampleBuilds.ToolAsync(V2)), "the file is exactly the signed release");
        var again = await world.RunAsync("self-update", "--feed", world.Feed.Url, "--trust", world.Feed.TrustFile);
        again.ShouldExitWith(0).Stdout.Should().Contain($"tool {V2} is up to date", again.Describe());
        var status = await CliRunner.RunAsync("status", "--target-file", world.Tool, "--json");
        StatusReader.Current(status.ShouldExitWith(0)).Should().Be(V2, status.Describe());
    }

    [Fact]
    public async Task SelfUpdate_TamperedRelease_IsRefusedAndFileStaysAsItWas()
    {
        await using var world = await ToolWorld.CreateAsync();
        await InstallV1Async(world);
        var v2 = await SampleBuilds.ToolAsync(V2);
        await world.ReleaseAsync(V2, feed => SampleFeed.FlipByte(feed.BlobOf(v2)));

        var update = await world.RunAsync("self-update", "--feed", world.Feed.Url, "--trust", world.Feed.TrustFile);

        update.ShouldExitWith(3).ShouldHaveNoStackTrace();
        update.Stderr.Should().Contain("(hash_mismatch)", update.Describe());
        (await world.RunAsync("--version")).ShouldExitWith(0).Stdout.Trim().Should().Be(V1);
        File.ReadAllBytes(world.Tool).Should().Equal(File.ReadAllBytes(await SampleBuilds.ToolAsync(V1)), "the file is exactly as installed");
        Directory.EnumerateFiles(Path.GetDirectoryName(world.Tool)!).Select(Path.GetFileName).Should().Equal(["tool"], "nothing of the tampered release is left beside it");
        var events = await CliRunner.RunAsync("events", "--target-file", world.Tool);
        events.ShouldExitWith(0).Stdout.Should().Contain("refused", events.Describe());
    }

    private static async Task InstallV1Async(ToolWorld world)
    {
        await world.ReleaseAsync(V1);
        await world.InstallAsync();
        (await world.RunAsync("--version")).ShouldExitWith(0).Stdout.Trim().Should().Be(V1);
    }
}
