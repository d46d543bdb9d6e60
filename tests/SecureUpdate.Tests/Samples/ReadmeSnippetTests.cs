using Microsoft.Extensions.DependencyInjection;
using SecureUpdate.Configuration;
using SecureUpdate.Errors;
using SecureUpdate.Tests.Infrastructure;
using SecureUpdate.Trust;

namespace SecureUpdate.Tests.Samples;

/// <summary>
/// The library README's first snippet runs as written: on a first install against a real loopback feed it installs,
/// and on a feed that refuses it the documented error handling catches the failure. The snippet's code below is
/// compared line by line with the README, so neither can change without the other. The snippet writes to the console,
/// so these tests capture it, in the collection that runs alone.
/// </summary>
[Collection(ProcessWideState.Name)]
public sealed class ReadmeSnippetTests
{
    private const string BeginMarker = "// README snippet: begin";
    private const string EndMarker = "// README snippet: end";

    [Fact]
    public async Task Snippet_FirstInstallFromALoopbackFeed_InstallsAndVerifies()
    {
        var template = await ReleaseTemplate.GetAsync();
        using var temp = new TempFolder();
        var feed = temp.Combine("feed");
        (await CliRunner.RunAsync(
            "release", "--feed", feed, "--app", "tool", "--version", ReleaseInputs.V1, "--input", template.InputFolder(ReleaseInputs.V1), "--key", template.KeyFile))
            .ShouldExitWith(0);
        await using var server = await FeedServer.StartAsync(feed);
        var target = temp.Combine("opt", "tool");

        var (output, errors) = await RunSnippetAsync(server.Url, template.TrustFile, target);

        errors.Should().BeEmpty("the snippet's first install must work as written");
        output.Should().Be($"Installed {ReleaseInputs.V1}\nstart-up check: Verified\n");
        TargetAssert.ShouldHaveInstalled(target, ReleaseInputs.V1);
    }

    [Fact]
    public async Task Snippet_FeedThatCannotBeReached_IsCaughtAsASecureUpdateException()
    {
        var template = await ReleaseTemplate.GetAsync();
        using var temp = new TempFolder();
        var target = temp.Combine("opt", "tool");

        // Port 9 (discard) on loopback: nothing listens, every connection is refused.
        var (output, errors) = await RunSnippetAsync("http://127.0.0.1:9/feed", template.TrustFile, target);

        output.Should().BeEmpty();
        errors.Should().StartWith("update failed (Transport, ", "a failure reaches the snippet's catch block with its code");
        TargetAssert.ShouldHaveNoInstall(target);
    }

    [Fact]
    public void Snippet_IsExactlyTheReadmesFirstCodeBlock()
    {
        var root = RepositoryRoot();
        var readme = File.ReadAllLines(Path.Combine(root, "src", "SecureUpdate", "README.md"));
        var open = Array.IndexOf(readme, "```csharp");
        var close = Array.IndexOf(readme, "```", open + 1);

        // The block's first line only names the variables the snippet uses; the test defines them.
        var documented = readme[(open + 2)..close];
        var source = File.ReadAllLines(Path.Combine(root, "tests", "SecureUpdate.Tests", "Samples", nameof(ReadmeSnippetTests) + ".cs"));
        var begin = Array.FindIndex(source, line => line.Trim() == BeginMarker);
        var end = Array.FindIndex(source, line => line.Trim() == EndMarker);
        var indent = source[begin].Length - source[begin].TrimStart().Length;
        var tested = source[(begin + 1)..end].Select(line => line.Length >= indent ? line[indent..] : line.TrimStart());

        tested.Should().Equal(documented, "the README's first snippet is the code this test runs");
    }

    /// <summary>Runs the README's code with its variables set; returns what it wrote to stdout and stderr.</summary>
    private static async Task<(string Output, string Errors)> RunSnippetAsync(string feedUrl, string trustFile, string installFolder)
    {
        var ct = CancellationToken.None;
        var (stdout, stderr) = (Console.Out, Console.Error);
        using var output = new StringWriter();
        using var errors = new StringWriter();
        Console.SetOut(output);
        Console.SetError(errors);
        try
        {
            // README snippet: begin
            var services = new ServiceCollection();
            services.AddSecureUpdate(options => options.Fallback = FallbackMode.HardReset);
            using var provider = services.BuildServiceProvider();
            var client = provider.GetRequiredService<UpdateClient>();
            var trust = TrustRoot.Load(trustFile);

            // A tool: check, then install or update a target folder (or one executable in place, Target.File).
            // The first install names the app; later checks and applies read it from the target.
            var target = Target.Folder(installFolder);
            try
            {
                var check = await client.CheckForUpdateAsync(new UpdateCheckRequest { Feed = feedUrl, Trust = trust, Target = target, App = "tool" }, ct);
                if (check.Outcome == UpdateCheckOutcome.Available)
                {
                    var result = await client.ApplyAsync(new ApplyRequest { Feed = feedUrl, Trust = trust, Target = target, App = "tool" }, ct);
                    Console.WriteLine($"{result.Outcome} {result.Version}");
                }

                // An app at start-up: re-verify what is installed and apply the configured fallback.
                var startup = await client.VerifyOnStartupAsync(target, trust, ct);
                Console.WriteLine($"start-up check: {startup.Outcome}");
            }
            catch (SecureUpdateException ex)
            {
                // Refused or failed: the target is exactly as it was. Code is stable (ErrorCode.Signature,
                // ErrorCode.Transport, ErrorCode.Usage, ...); Stage, Version and Path say where.
                Console.Error.WriteLine($"update failed ({ex.Code}, {ex.Stage}): {ex.Message}");
            }
            // README snippet: end
        }
        finally
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
        }

        return (output.ToString(), errors.ToString());
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "SecureUpdate.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (SecureUpdate.sln) was not found above " + AppContext.BaseDirectory);
    }
}
