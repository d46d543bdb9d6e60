using System.Diagnostics;
using System.Text;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.EndToEnd;

/// <summary>
/// docs/verify-with-openssl.md cannot rot: its <c>```sh</c> blocks, taken from the document as it is in the
/// repository, run as one <c>bash -euo pipefail</c> script with the real <c>openssl</c> against a feed the real
/// CLI wrote (two release keys, threshold 2, and a trust root). Genuine files pass every check; a flipped byte in
/// the pointer, the manifest, a payload or the trust root, a signature moved to another kind of document, an
/// untrusted key and a key counted twice all make the script fail, saying which check refused.
/// </summary>
public sealed class OpenSslVerificationTests
{
    private const string Verified = "Signature Verified Successfully";
    private const string NotVerified = "Signature Verification Failure";

    [Fact]
    public async Task DocumentCommands_GenuineFeed_EveryCheckPasses()
    {
        using var temp = new TempFolder();
        var world = await CreateFeedAsync(temp);

        var (exitCode, output) = await RunDocumentAsync(temp, world, world.ReleaseKeys, threshold: 2);

        exitCode.Should().Be(0, "every check of the document passes on a genuine feed\n{0}", output);
        output.Should().Contain("channel.json: 2 valid signatures, 2 needed: OK")
            .And.Contain("manifest.json: OK")
            .And.Contain("manifest size: OK")
            .And.Contain("manifest.json: 2 valid signatures, 2 needed: OK")
            .And.Contain("payload: OK")
            .And.Contain("payload size: OK")
            .And.Contain("root.json: 1 valid signatures, 1 needed: OK")
            .And.Contain("binary trailer: OK")
            .And.Contain("binary-payload: 2 valid signatures, 2 needed: OK")
            .And.NotContain(NotVerified).And.NotContain("FAILED").And.NotContain("REFUSE");
        Occurrences(output, Verified).Should().Be(9, "pointer, manifest and signed binary by both release keys, the root by its root key, the manifest again by the root's release role\n{0}", output);
    }

    [Theory]
    [InlineData("channel", "channel.json: 0 valid signatures, 2 needed: REFUSE it")]
    [InlineData("manifest", "manifest.json: FAILED")]
    [InlineData("payload", "payload: FAILED")]
    [InlineData("trust", "root.json: 0 valid signatures, 1 needed: REFUSE it")]
    [InlineData("binary", "binary-payload: 0 valid signatures, 2 needed: REFUSE it")]
    public async Task DocumentCommands_FeedFileWithOneByteFlipped_Fail(string file, string refusal)
    {
        using var temp = new TempFolder();
        var world = await CreateFeedAsync(temp);
        var path = file switch
        {
            "channel" => Path.Combine(world.Feed, FeedForger.ChannelPath(ReleaseInputs.App, ReleaseInputs.Channel)),
            "manifest" => Path.Combine(world.Feed, FeedForger.ManifestPath(ReleaseInputs.App, ReleaseInputs.Channel, ReleaseInputs.V1)),
            "payload" => Path.Combine(world.Feed, FeedForger.BlobPath(ReleaseInputs.File(ReleaseInputs.V1, ReleaseInputs.Binary).Sha256)),
            "trust" => Path.Combine(world.Feed, "trust", "1.json"),
            _ => world.Binary,
        };
        if (file == "binary")
        {
            // The first byte: the middle of a small signed file lies in its trailer.
            var bytes = File.ReadAllBytes(path);
            bytes[0] ^= 0x01;
            File.WriteAllBytes(path, bytes);
        }
        else
        {
            FileMutator.Apply(path, FileMutation.Flip);
        }

        var (exitCode, output) = await RunDocumentAsync(temp, world, world.ReleaseKeys, threshold: 2);

        exitCode.Should().NotBe(0, "a flipped byte in the {0} must fail the document's commands\n{1}", file, output);
        output.Should().Contain(refusal, "the check that refuses says so");
        if (file is "channel" or "trust" or "binary")
        {
            output.Should().Contain(NotVerified, "openssl itself refuses the signatures");
        }
    }

    [Fact]
    public async Task DocumentCommands_ManifestCarryingThePointersSignatures_Fail()
    {
        using var temp = new TempFolder();
        var world = await CreateFeedAsync(temp);
        var manifest = Path.Combine(world.Feed, FeedForger.ManifestPath(ReleaseInputs.App, ReleaseInputs.Channel, ReleaseInputs.V1));
        File.Copy(Path.Combine(world.Feed, FeedForger.ChannelPath(ReleaseInputs.App, ReleaseInputs.Channel)) + ".sig", manifest + ".sig", overwrite: true);

        var (exitCode, output) = await RunDocumentAsync(temp, world, world.ReleaseKeys, threshold: 2);

        exitCode.Should().NotBe(0, "a signature made for a channel pointer never verifies a manifest: the prefix differs\n{0}", output);
        output.Should().Contain("channel.json: 2 valid signatures, 2 needed: OK")
            .And.Contain(NotVerified)
            .And.Contain("manifest.json: 0 valid signatures, 2 needed: REFUSE it");
    }

    [Theory]
    [InlineData("untrusted")]
    [InlineData("twice")]
    public async Task DocumentCommands_ThresholdMetOnlyByAnUntrustedOrRepeatedKey_Fail(string keys)
    {
        using var temp = new TempFolder();
        var world = await CreateFeedAsync(temp);
        var first = world.ReleaseKeys[0];
        string[] trusted = keys == "twice" ? [first, first] : [first, world.RootKey];

        var (exitCode, output) = await RunDocumentAsync(temp, world, trusted, threshold: 2);

        exitCode.Should().NotBe(0, "a key counts once, and keys not trusted count nothing\n{0}", output);
        output.Should().Contain("channel.json: 1 valid signatures, 2 needed: REFUSE it");
    }

    [Fact]
    public void Document_SetupBlock_NamesExactlyTheVariablesTheCommandsAreRunWith()
    {
        var lines = File.ReadAllLines(DocumentPath());
        var start = Array.IndexOf(lines, "```sh setup");
        start.Should().BeGreaterThanOrEqualTo(0, "the document shows the reader which variables to set, in a ```sh setup block");
        var names = lines.Skip(start + 1).TakeWhile(line => !line.StartsWith("```", StringComparison.Ordinal))
            .Select(line => line.Split('=', 2)[0])
            .ToArray();

        names.Should().BeEquivalentTo(Variables(new OpenSslFeedWorld("feed", ["release.pub"], "root.pub", "tool"), ["release.pub"], 1).Keys,
            "the reader is asked for exactly the variables the tested commands read (bash -u refuses any other)");
    }

    /// <summary>
    /// Two release keys, a root key, release 1.0.0 signed by both release keys, trust root 1 (root: the root
    /// key; release: both release keys, threshold 2) signed and published, and a file signed by both release keys
    /// with sign-binary: everything through the real CLI.
    /// </summary>
    private static async Task<OpenSslFeedWorld> CreateFeedAsync(TempFolder temp)
    {
        var keys = temp.Combine("keys");
        foreach (var name in new[] { "first", "second", "root" })
        {
            (await CliRunner.RunAsync("keygen", "--out", keys, "--name", name)).ShouldExitWith(0);
        }

        var input = temp.Combine("in");
        ReleaseInputs.WriteFolder(input, ReleaseInputs.Version1);
        var feed = temp.Combine("feed");
        (await CliRunner.RunAsync(
            "release", "--feed", feed, "--app", ReleaseInputs.App, "--version", ReleaseInputs.V1, "--input", input,
            "--key", Path.Combine(keys, "first.key"), "--key", Path.Combine(keys, "second.key"))).ShouldExitWith(0);

        var root = temp.Combine("root-1.json");
        (await CliRunner.RunAsync(
            "trust", "init", "--out", root, "--root-key", Path.Combine(keys, "root.pub"),
            "--release-key", Path.Combine(keys, "first.pub"), "--release-key", Path.Combine(keys, "second.pub"),
            "--release-threshold", "2")).ShouldExitWith(0);
        (await CliRunner.RunAsync("sign", "--key", Path.Combine(keys, "root.key"), root)).ShouldExitWith(0);
        (await CliRunner.RunAsync("trust", "publish", "--feed", feed, root)).ShouldExitWith(0);

        var binary = temp.Combine("tool");
        File.Copy(Path.Combine(input, ReleaseInputs.Binary), binary);
        (await CliRunner.RunAsync(
            "sign-binary", "--key", Path.Combine(keys, "first.key"), "--key", Path.Combine(keys, "second.key"), binary)).ShouldExitWith(0);

        return new OpenSslFeedWorld(feed, [Path.Combine(keys, "first.pub"), Path.Combine(keys, "second.pub")], Path.Combine(keys, "root.pub"), binary);
    }

    /// <summary>The values of the variables the document's setup block asks the reader for.</summary>
    private static Dictionary<string, string> Variables(OpenSslFeedWorld world, IReadOnlyList<string> releaseKeys, int threshold) => new(StringComparer.Ordinal)
    {
        ["FEED"] = world.Feed,
        ["APP"] = ReleaseInputs.App,
        ["CHANNEL"] = ReleaseInputs.Channel,
        ["PUBS"] = string.Join(' ', releaseKeys),
        ["THRESHOLD"] = threshold.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["FILE"] = ReleaseInputs.Binary,
        ["ROOT_PUBS"] = world.RootKey,
        ["ROOT_THRESHOLD"] = "1",
        ["TRUST_VERSION"] = "1",
        ["BINARY"] = world.Binary,
    };

    /// <summary>Runs every <c>```sh</c> block of docs/verify-with-openssl.md, in order, as one script in a fresh folder.</summary>
    private static async Task<(int ExitCode, string Output)> RunDocumentAsync(
        TempFolder temp, OpenSslFeedWorld world, IReadOnlyList<string> releaseKeys, int threshold)
    {
        var script = temp.Combine("verify-with-openssl.sh");
        await File.WriteAllTextAsync(script, DocumentScript());
        var work = temp.CreateFolder("work");

        var startInfo = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = work,
        };
        foreach (var argument in new[] { "-euo", "pipefail", script })
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in Variables(world, releaseKeys, threshold))
        {
            startInfo.Environment[name] = value;
        }

        using var process = Process.Start(startInfo)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(CliRunner.DefaultTimeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The document's commands did not finish within {CliRunner.DefaultTimeout}.");
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>The document's runnable blocks: those fenced exactly <c>```sh</c> (not <c>```sh setup</c>), joined in order.</summary>
    private static string DocumentScript()
    {
        var lines = File.ReadAllLines(DocumentPath());
        var script = new StringBuilder();
        var blocks = 0;
        var inBlock = false;
        foreach (var line in lines)
        {
            if (!inBlock && line == "```sh")
            {
                inBlock = true;
                blocks++;
            }
            else if (inBlock && line.StartsWith("```", StringComparison.Ordinal))
            {
                inBlock = false;
            }
            else if (inBlock)
            {
                script.Append(line).Append('\n');
            }
        }

        inBlock.Should().BeFalse("every ```sh block of the document is closed");
        blocks.Should().BeGreaterThanOrEqualTo(6, "the document walks through keys, signatures, pointer, manifest, payload and trust root");
        return script.ToString();
    }

    private static string DocumentPath() => Path.Combine(CliRunner.RepositoryRoot(), "docs", "verify-with-openssl.md");

    private static int Occurrences(string text, string value)
    {
        var count = 0;
        for (var index = text.IndexOf(value, StringComparison.Ordinal); index >= 0; index = text.IndexOf(value, index + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
