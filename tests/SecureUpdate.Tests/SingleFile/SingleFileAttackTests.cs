using System.Runtime.Versioning;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.SingleFile;

/// <summary>
/// Attacks on a single-file update, each from a feed that an adversary controls: the file must stay byte-identical
/// with its mode, its folder unchanged, and apply must exit 3 with the documented error code.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class SingleFileAttackTests
{
    public static TheoryData<string, string> Attacks => new()
    {
        { "flipped blob", "hash_mismatch" },
        { "truncated blob", "hash_mismatch" },
        { "extended blob", "hash_mismatch" },
        { "untrusted key", "signature" },
        { "unsigned manifest", "signature" },
        { "manifest signed as a channel", "signature" },
        { "expired manifest", "expired" },
        { "expired channel", "expired" },
        { "wrong app", "wrong_app" },
        { "downgrade", "downgrade" },
    };

    [Theory]
    [MemberData(nameof(Attacks))]
    public async Task Apply_AttackerFeed_ExitsThreeAndFileUnchanged(string attack, string errorCode)
    {
        var installed = attack == "downgrade" ? SingleFileTemplate.V2 : SingleFileTemplate.V1;
        using var world = await SingleFileWorld.CreateAsync(installed);
        var feed = world.CopyFeed(SingleFileTemplate.V1);
        var newTool = SingleFileTemplate.Tool(SingleFileTemplate.V2);
        using var stranger = ForgedKey.Create();
        var key = attack == "untrusted key" ? stranger : world.Template.Key;
        var now = DateTimeOffset.UtcNow;
        var options = attack switch
        {
            "expired manifest" => new ForgedReleaseOptions { ManifestExpires = now.AddHours(-1) },
            "expired channel" => new ForgedReleaseOptions { ChannelExpires = now.AddHours(-1) },
            "wrong app" => new ForgedReleaseOptions { ManifestApp = "other-tool", ChannelApp = "other-tool" },
            _ => null,
        };
        if (attack != "downgrade")
        {
            var release = feed.Publish(SingleFileTemplate.App, "stable", SingleFileTemplate.V2, [newTool], options, key);
            switch (attack)
            {
                case "flipped blob":
                    FileMutator.Apply(feed.FullPath(FeedForger.BlobPath(newTool.Sha256)), FileMutation.Flip);
                    break;
                case "truncated blob":
                    FileMutator.Apply(feed.FullPath(FeedForger.BlobPath(newTool.Sha256)), FileMutation.Truncate);
                    break;
                case "extended blob":
                    FileMutator.Apply(feed.FullPath(FeedForger.BlobPath(newTool.Sha256)), FileMutation.Extend);
                    break;
                case "unsigned manifest":
                    File.Delete(feed.FullPath(release.ManifestPath + ".sig"));
                    break;
                case "manifest signed as a channel":
                    feed.Resign(release.ManifestPath, FeedForger.ChannelType, key);
                    break;
            }
        }

        var before = world.Snapshot();
        var file = FileFingerprint.Of(world.Target);
        await using var server = await FeedServer.StartAsync(feed.FeedRoot);

        var result = await world.ApplyAsync(server.Url);

        result.ShouldExitWith(3).ShouldReportFailureClearly().ShouldHaveErrorCode(errorCode);
        FileFingerprint.Of(world.Target).Should().Be(file, "the file stays byte-identical with its mode ({0})", attack);
        world.ShouldHold(installed);
        world.ShouldBeUnchangedSince(before, attack);
    }
}
