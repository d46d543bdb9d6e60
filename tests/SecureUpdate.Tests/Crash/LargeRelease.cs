using System.Text;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Crash;

/// <summary>
/// A feed of releases large enough that an <c>apply</c> takes a while (hundreds of small files in nested folders and one
/// multi-MB file), built once per run (<see cref="CrashWorkspace"/>) with the real CLI, and a target with 0.9.0 and 1.0.0 installed (1.0.0 current), so
/// that updating to 1.1.0 downloads most files, copies the unchanged ones from 1.0.0 and prunes 0.9.0.
/// </summary>
public sealed class LargeRelease
{
    public const string App = "bulk";

    /// <summary>Small files in 1.0.0 and 1.1.0; every third one is the same in both.</summary>
    public const int SmallFiles = 300;

    /// <summary>Tiny files in 0.9.0, which the update to 1.1.0 removes.</summary>
    public const int PrunedFiles = 1000;

    /// <summary>The one large file, different in each release.</summary>
    public const int LargeFileBytes = 6 * 1024 * 1024;

    private LargeRelease(string root)
    {
        Root = root;
    }

    public string Root { get; }

    public string TrustFile => Path.Combine(Root, "keys", "release.pub");

    public string KeyFile => Path.Combine(Root, "keys", "release.key");

    /// <summary>The feed folder, offering 1.1.0 (after 0.9.0 and 1.0.0).</summary>
    public string Feed => Path.Combine(Root, "feed");

    /// <summary>0.9.0 and 1.0.0 installed, 1.0.0 current. Copy it; never change it.</summary>
    public string InstalledTarget => Path.Combine(Root, "target");

    /// <summary>Many tiny files, so that pruning them after the switch takes long enough for random kills to land in it.</summary>
    public static ReleaseFiles Pruned { get; } = new("0.9.0", BuildPruned("0.9.0", PrunedFiles));

    public static ReleaseFiles Old { get; } = new("1.0.0", Build("1.0.0", SmallFiles, LargeFileBytes));

    public static ReleaseFiles New { get; } = new("1.1.0", Build("1.1.0", SmallFiles, LargeFileBytes));

    /// <summary><c>apply</c> of this app from <paramref name="feed"/> (a URL or this feed folder) into <paramref name="target"/>.</summary>
    public string[] Apply(string feed, string target) => ["apply", "--feed", feed, "--trust", TrustFile, "--target", target, "--app", App];

    /// <summary>Builds the feed and the target under <paramref name="root"/> (see <see cref="CrashWorkspace"/>).</summary>
    internal static async Task<LargeRelease> CreateAsync(string root)
    {
        Directory.CreateDirectory(Path.Combine(root, "keys"));
        var release = new LargeRelease(root);
        using (var key = ForgedKey.Create())
        {
            key.WritePrivateKeyFile(release.KeyFile);
            key.WritePublicKeyFile(release.TrustFile);
        }

        foreach (var version in new[] { Pruned, Old, New })
        {
            var input = Path.Combine(root, "inputs", version.Version);
            ReleaseInputs.WriteFolder(input, version.Files);
            (await CrashCli.RunAsync(null, "release", "--feed", release.Feed, "--app", App, "--version", version.Version, "--input", input, "--key", release.KeyFile))
                .ShouldExitWith(0);
            if (version != New)
            {
                (await CrashCli.RunAsync(null, release.Apply(release.Feed, release.InstalledTarget))).ShouldExitWith(0);
            }
        }

        TargetAssert.CurrentVersion(release.InstalledTarget).Should().Be(Old.Version);
        TargetAssert.ShouldHoldExactly(Path.Combine(release.InstalledTarget, "versions", Pruned.Version), Pruned.Files);
        TargetAssert.ShouldHoldExactly(Path.Combine(release.InstalledTarget, "versions", Old.Version), Old.Files);
        return release;
    }

    private static ForgedFile[] Build(string version, int small, int largeBytes)
    {
        var files = new List<ForgedFile>
        {
            new("bin/" + App, Encoding.UTF8.GetBytes($"#!/bin/sh\necho {App} {version}\n"), executable: true),
        };
        for (var i = 0; i < small; i++)
        {
            // Every third file is the same in every release (reused from the installed version, not downloaded).
            var seed = i % 3 == 0 ? i : StableSeed(version) + i;
            files.Add(new ForgedFile($"data/{i / 50:00}/item{i:000}.dat", ReleaseInputs.Bytes(seed, 512 + (i * 37 % 3584))));
        }

        if (largeBytes > 0)
        {
            files.Add(new ForgedFile("lib/payload.bin", ReleaseInputs.Bytes(StableSeed(version) - 1, largeBytes)));
        }

        return [.. files];
    }

    private static ForgedFile[] BuildPruned(string version, int count)
    {
        var files = new List<ForgedFile>
        {
            new("bin/" + App, Encoding.UTF8.GetBytes($"#!/bin/sh\necho {App} {version}\n"), executable: true),
        };
        for (var i = 0; i < count; i++)
        {
            files.Add(new ForgedFile($"notes/{i / 100:00}/note{i:0000}.txt", Encoding.UTF8.GetBytes($"{version} note {i}\n")));
        }

        return [.. files];
    }

    /// <summary>The same seed for a version in every run (string hash codes are randomised per process).</summary>
    private static int StableSeed(string version) => version.Aggregate(17, (hash, c) => unchecked((hash * 31) + c)) & 0x3FFFFFFF;
}
