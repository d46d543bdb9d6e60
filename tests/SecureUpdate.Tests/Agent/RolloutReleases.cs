using System.Runtime.Versioning;
using System.Text.Json.Nodes;
using SecureUpdate.Publishing;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Agent;

/// <summary>Publishing with a staged rollout into a <see cref="ReleaseWorkspace"/>, honestly or with a hand-made pointer signed by the real key.</summary>
[UnsupportedOSPlatform("windows")]
internal static class RolloutReleases
{
    public static Task<ReleaseResult> PublishAsync(ReleaseWorkspace workspace, string version, int? rollout, string channel = "stable") =>
        workspace.Publisher.PublishAsync(new ReleaseRequest
        {
            Feed = workspace.Feed,
            App = ReleaseWorkspace.App,
            Channel = channel,
            Version = version,
            Input = workspace.Input,
            KeyFiles = [workspace.KeyFile],
            RolloutPercent = rollout,
        });

    public static Task<ReleaseResult> SetRolloutAsync(ReleaseWorkspace workspace, int percent, string channel = "stable") =>
        workspace.Publisher.SetRolloutAsync(new RolloutRequest
        {
            Feed = workspace.Feed,
            App = ReleaseWorkspace.App,
            Channel = channel,
            Percent = percent,
            KeyFiles = [workspace.KeyFile],
        });

    /// <summary>The feed-relative path of the workspace's channel pointer.</summary>
    public static string PointerPath(string channel = "stable") => FeedForger.ChannelPath(ReleaseWorkspace.App, channel);

    /// <summary>The channel pointer as JSON.</summary>
    public static JsonObject ReadPointer(ReleaseWorkspace workspace, string channel = "stable") =>
        JsonNode.Parse(File.ReadAllBytes(Path.Combine(workspace.Feed, PointerPath(channel))))!.AsObject();

    /// <summary>
    /// Rewrites the channel pointer with <c>rollout</c> set to the raw JSON <paramref name="rolloutJson"/>
    /// (everything else as published) and signs it with the workspace's real release key, independently of the library.
    /// </summary>
    public static void ForgeRollout(ReleaseWorkspace workspace, string rolloutJson, string channel = "stable")
    {
        var pointer = ReadPointer(workspace, channel);
        pointer["rollout"] = JsonNode.Parse(rolloutJson);
        using var key = ForgedKey.Load(workspace.KeyFile);
        new FeedForger(workspace.Feed).WriteSigned(PointerPath(channel), FeedForger.ToJson(pointer), FeedForger.ChannelType, key);
    }
}
