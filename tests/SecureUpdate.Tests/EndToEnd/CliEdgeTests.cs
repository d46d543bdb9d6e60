using System.Runtime.InteropServices;
using System.Text;
using SecureUpdate.Tests.Companion;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.EndToEnd;

/// <summary>
/// First contact with the command line: empty values, credentials in feed values, process ids that name no
/// process, names that are not UTF-8, files where folders belong, targets that cannot be created, a public key
/// given as a signing key, and a version written as a git tag. Each is exit 2 with one clear line (never
/// "Internal error"), nothing fetched, written or switched. Also: one exit code (7) for "nothing installed there",
/// help with examples and per-command wording, times in --json in UTC ending in Z, and counts in the right number.
/// </summary>
public sealed class CliEdgeTests
{
    private const string Secret = "pw-0f7c1d";

    public static TheoryData<string, string> EmptyValues => new()
    {
        { "apply", "--feed" },
        { "apply", "--trust" },
        { "apply", "--target" },
        { "apply", "--target-file" },
        { "apply", "--allowlist" },
        { "verify", "--trust" },
        { "status", "--target" },
        { "swap", "--target" },
        { "release", "--feed" },
        { "release", "--input" },
        { "release", "--key" },
        { "keygen", "--out" },
    };

    public static TheoryData<string> FeedsWithCredentials => new()
    {
        $"ftp://user:{Secret}@mirror.invalid/feed",
        $"http://user:{Secret}@[bad/feed",
        $"https://user:{Secret}@updates.invalid/feed",
        $"https://{Secret}@updates.invalid/feed",
    };

    [Theory]
    [MemberData(nameof(EmptyValues))]
    public async Task EmptyValue_IsAUsageErrorNamingTheOption(string command, string option)
    {
        await using var scenario = await AttackScenario.CreateAsync();
        var feedBefore = TargetSnapshot.Capture(scenario.Feed);
        var keys = scenario.Temp.Combine("keys");
        Dictionary<string, string> values = command switch
        {
            "apply" => new() { ["--feed"] = scenario.Server.Url, ["--trust"] = scenario.TrustFile, ["--target"] = scenario.Target },
            "verify" => new() { ["--trust"] = scenario.TrustFile, ["--target"] = scenario.Target },
            "status" or "swap" => new() { ["--target"] = scenario.Target },
            "release" => new()
            {
                ["--feed"] = scenario.Feed, ["--app"] = ReleaseInputs.App, ["--version"] = "2.0.0",
                ["--input"] = scenario.Template.InputFolder(ReleaseInputs.V2), ["--key"] = scenario.Template.KeyFile,
            },
            "keygen" => new() { ["--out"] = keys },
            _ => throw new ArgumentOutOfRangeException(nameof(command), command, null),
        };
        if (option == "--target-file")
        {
            values.Remove("--target");
        }

        values[option] = "";
        if (option == "--allowlist")
        {
            values["--fallback"] = "hash-allowlist";
        }

        var result = await CliRunner.RunAsync([command, .. values.SelectMany(pair => new[] { pair.Key, pair.Value }), "--json"]);

        result.ShouldExitWith(2).ShouldReportFailureClearly().ShouldHaveErrorCode("usage");
        result.StderrLines[0].Should().Be($"secure-update {command}: {option} is empty: give a value. (see --help)", result.Describe());
        scenario.Server.RequestLog.Should().BeEmpty("nothing is fetched for an empty value");
        feedBefore.ShouldBeUnchanged("nothing is released for an empty value");
        Directory.Exists(keys).Should().BeFalse("nothing is written for an empty value");
        scenario.ShouldBeUntouched();
    }

    [Theory]
    [MemberData(nameof(FeedsWithCredentials))]
    public async Task Apply_FeedWithCredentials_IsRefusedAndTheSecretNeverPrinted(string feed)
    {
        await using var scenario = await AttackScenario.CreateAsync();

        var text = await CliRunner.RunAsync("apply", "--feed", feed, "--trust", scenario.TrustFile, "--target", scenario.Target);
        var json = await CliRunner.RunAsync("apply", "--feed", feed, "--trust", scenario.TrustFile, "--target", scenario.Target, "--json", "--verbose");

        text.ShouldExitWith(2).ShouldReportFailureClearly();
        json.ShouldExitWith(2).ShouldHaveErrorCode("usage");
        foreach (var result in new[] { text, json })
        {
            (result.Stdout + result.Stderr).Should().NotContain(Secret, "credentials in a feed value are never echoed, not even with --verbose\n{0}", result.Describe());
        }

        if (feed.StartsWith("ftp:", StringComparison.Ordinal) || feed.Contains('[', StringComparison.Ordinal))
        {
            json.JsonString("message").Should().Contain("user:***@", "the value is shown with its password redacted\n{0}", json.Describe());
        }

        scenario.ShouldBeUntouched();
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    public async Task Swap_WaitPidNotAboveZero_IsAUsageErrorAndNothingSwitched(string pid)
    {
        await using var scenario = await CompanionScenario.CreateAsync();
        await scenario.StageAsync();
        scenario.Recapture();

        var result = await scenario.SwapAsync("--wait-pid", pid);

        scenario.ShouldBeRefused(result, 2, "usage");
        result.StderrLines[0].Should().Be($"secure-update swap: --wait-pid must be a process id above zero, not {pid}. (see --help)", result.Describe());
    }

    [Fact]
    public async Task Release_InputNameNotUtf8_IsAUsageErrorNamingItEscapedAndNothingWritten()
    {
        var template = await ReleaseTemplate.GetAsync();
        using var temp = new TempFolder();
        var input = temp.CreateFolder("input", "sub");
        File.WriteAllText(Path.Combine(input, "ok.txt"), "fine");
        CreateFileWithRawName(Path.Combine(input, "ok.txt"), [.. Encoding.UTF8.GetBytes(input + "/bad"), 0xff, 0x1b, .. "[31m"u8]);
        var feed = temp.Combine("feed");

        var result = await CliRunner.RunAsync(
            "release", "--feed", feed, "--app", ReleaseInputs.App, "--version", ReleaseInputs.V1, "--input", temp.Combine("input"), "--key", template.KeyFile);

        result.ShouldExitWith(2).ShouldReportFailureClearly();
        result.Stderr.Should().Contain("--input holds 'sub/bad\\ufffd\\u001b[31m', whose name is not valid UTF-8", result.Describe());
        result.Stderr.Should().NotContain("\u001b", "the name is escaped so the terminal is safe");
        Directory.Exists(feed).Should().BeFalse("nothing is written for a refused input\n{0}", result.Describe());
    }

    [Fact]
    public async Task Release_FeedNamingAFile_IsAUsageErrorAndTheFileUnchanged()
    {
        var template = await ReleaseTemplate.GetAsync();
        using var temp = new TempFolder();
        var file = temp.Combine("feed.txt");
        File.WriteAllText(file, "not a feed");

        var result = await CliRunner.RunAsync(
            "release", "--feed", file, "--app", ReleaseInputs.App, "--version", ReleaseInputs.V1, "--input", template.InputFolder(ReleaseInputs.V1), "--key", template.KeyFile);

        result.ShouldExitWith(2).ShouldReportFailureClearly();
        result.Stderr.Should().Contain($"--feed '{file}' is a file; give a folder", result.Describe());
        File.ReadAllText(file).Should().Be("not a feed");
    }

    [Fact]
    public async Task Keygen_OutNamingAFile_IsAUsageErrorAndTheFileUnchanged()
    {
        using var temp = new TempFolder();
        var file = temp.Combine("keys");
        File.WriteAllText(file, "a file");

        var result = await CliRunner.RunAsync("keygen", "--out", file);

        result.ShouldExitWith(2).ShouldReportFailureClearly();
        result.Stderr.Should().Contain($"--out '{file}' is a file; give a folder", result.Describe());
        File.ReadAllText(file).Should().Be("a file");
        Directory.EnumerateFileSystemEntries(temp.Path).Should().ContainSingle();
    }

    [Fact]
    public async Task Keygen_OutThatCannotBeCreated_IsAConfigurationErrorSayingSo()
    {
        var result = await CliRunner.RunAsync("keygen", "--out", "/proc/secure-update-nope", "--json");

        result.ShouldExitWith(2).ShouldReportFailureClearly().ShouldHaveErrorCode("config");
        result.Stderr.Should().Contain("The folder '/proc/secure-update-nope' cannot be created", result.Describe());
        result.Stderr.Should().NotContain("Internal error");
    }

    [Fact]
    public async Task Apply_TargetThatCannotBeCreated_IsAConfigurationErrorNotAFailedInstall()
    {
        await using var scenario = await AttackScenario.CreateAsync(installed: false);

        var result = await CliRunner.RunAsync(
            "apply", "--feed", scenario.Server.Url, "--trust", scenario.TrustFile, "--target", "/proc/secure-update-nope", "--app", ReleaseInputs.App, "--json");

        result.ShouldExitWith(2).ShouldReportFailureClearly().ShouldHaveErrorCode("config");
        result.Stderr.Should().Contain("The target '/proc/secure-update-nope' cannot be created", result.Describe());
        scenario.Server.RequestLog.Should().BeEmpty("nothing is fetched for a target that cannot exist");
    }

    [Fact]
    public async Task Release_PublicKeyGivenAsKey_SaysItIsAPublicKey()
    {
        var template = await ReleaseTemplate.GetAsync();
        using var temp = new TempFolder();
        var feed = temp.Combine("feed");

        var result = await CliRunner.RunAsync(
            "release", "--feed", feed, "--app", ReleaseInputs.App, "--version", ReleaseInputs.V1, "--input", template.InputFolder(ReleaseInputs.V1), "--key", template.TrustFile);

        result.ShouldExitWith(2).ShouldReportFailureClearly();
        result.Stderr.Should().Contain($"'{template.TrustFile}' is a public key file").And.Contain("--key needs a private key", result.Describe());
        result.Stderr.Should().NotContain("JSON", result.Describe());
        Directory.Exists(Path.Combine(feed, ReleaseInputs.App)).Should().BeFalse("nothing is signed without a key");
    }

    [Theory]
    [InlineData("v1.2.0")]
    [InlineData("V2.0.0-rc.1")]
    public async Task Release_VersionWithALeadingV_IsAUsageErrorWithTheHint(string version)
    {
        var template = await ReleaseTemplate.GetAsync();
        using var temp = new TempFolder();

        var result = await CliRunner.RunAsync(
            "release", "--feed", temp.Combine("feed"), "--app", ReleaseInputs.App, "--version", version, "--input", template.InputFolder(ReleaseInputs.V1), "--key", template.KeyFile);

        result.ShouldExitWith(2).ShouldReportFailureClearly();
        result.StderrLines[0].Should().Be($"secure-update release: --version '{version}' is not a SemVer version: drop the leading '{version[0]}' ({version[1..]}). (see --help)", result.Describe());
        Directory.Exists(temp.Combine("feed")).Should().BeFalse();
    }

    [Theory]
    [InlineData("status", false)]
    [InlineData("status", true)]
    [InlineData("verify", false)]
    [InlineData("verify", true)]
    [InlineData("events", false)]
    [InlineData("events", true)]
    [InlineData("rollback", false)]
    [InlineData("rollback", true)]
    [InlineData("swap", false)]
    [InlineData("swap", true)]
    public async Task NothingInstalled_MissingOrEmptyFolder_IsExit7ForEveryCommand(string command, bool exists)
    {
        var template = await ReleaseTemplate.GetAsync();
        using var temp = new TempFolder();
        var target = exists ? temp.CreateFolder("target") : temp.Combine("target");
        List<string> arguments = command is "verify" ? [command, "--target", target, "--trust", template.TrustFile, "--json"] : [command, "--target", target, "--json"];

        var result = await CliRunner.RunAsync([.. arguments]);

        result.ShouldExitWith(7).ShouldReportFailureClearly().ShouldHaveErrorCode("not_installed");
        Directory.Exists(target).Should().Be(exists, "nothing is created by a command that finds nothing installed");
        if (exists)
        {
            Directory.EnumerateFileSystemEntries(target).Should().BeEmpty("nothing is written into a target with nothing installed");
        }
    }

    [Theory]
    [InlineData("keygen")]
    [InlineData("release")]
    [InlineData("apply")]
    [InlineData("verify")]
    [InlineData("status")]
    [InlineData("swap")]
    [InlineData("rollback")]
    [InlineData("rollout")]
    [InlineData("events")]
    [InlineData("sign")]
    [InlineData("sign-binary")]
    [InlineData("verify-binary")]
    [InlineData("publish")]
    [InlineData("trust init")]
    [InlineData("trust publish")]
    [InlineData("trust show")]
    public async Task Help_ShowsExamplesOfTheCommand(string command)
    {
        var result = await CliRunner.RunAsync([.. command.Split(' '), "--help"]);

        result.ShouldExitWith(0).ShouldHaveNoStackTrace();
        var examples = result.Stdout[result.Stdout.IndexOf("Examples:", StringComparison.Ordinal)..];
        examples.Should().Contain($"  secure-update {command} --", result.Describe());
    }

    [Fact]
    public async Task Help_TargetFileIsDescribedByWhatEachCommandDoes()
    {
        var descriptions = new Dictionary<string, string>();
        foreach (var command in new[] { "apply", "status", "verify", "rollback" })
        {
            var help = (await CliRunner.RunAsync(command, "--help")).ShouldExitWith(0);
            descriptions[command] = help.Stdout.Split('\n').Single(line => line.TrimStart().StartsWith("--target-file", StringComparison.Ordinal));
        }

        descriptions.Values.Should().OnlyHaveUniqueItems("each command says what it does with the file");
        descriptions["apply"].Should().Contain("update in place");
        descriptions["status"].Should().NotContain("update in place");
        descriptions["verify"].Should().Contain("re-hash");
    }

    [Fact]
    public async Task Json_TimesAreUtcEndingInZ_AndCountsAreInTheRightNumber()
    {
        using var temp = new TempFolder();
        var input = temp.CreateFolder("input");
        File.WriteAllText(Path.Combine(input, "only.txt"), "x");
        var keys = temp.Combine("keys");
        var target = temp.Combine("target");
        (await CliRunner.RunAsync("keygen", "--out", keys)).ShouldExitWith(0);
        var environment = new Dictionary<string, string?> { ["TZ"] = "Asia/Kolkata" };

        var release = await CliRunner.RunAsync(environment, "release", "--feed", temp.Combine("feed"), "--app", "one", "--version", "1.0.0", "--input", input, "--key", Path.Combine(keys, "release.key"), "--json");
        var text = await CliRunner.RunAsync(environment, "release", "--feed", temp.Combine("feed"), "--app", "one", "--version", "1.0.1", "--input", input, "--key", Path.Combine(keys, "release.key"));
        var apply = await CliRunner.RunAsync("apply", "--feed", temp.Combine("feed"), "--trust", Path.Combine(keys, "release.pub"), "--target", target, "--app", "one");
        var verify = await CliRunner.RunAsync("verify", "--target", target, "--trust", Path.Combine(keys, "release.pub"));
        var events = await CliRunner.RunAsync("events", "--target", target, "--json");

        release.ShouldExitWith(0);
        release.JsonString("expires").Should().MatchRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$", release.Describe());
        text.ShouldExitWith(0).Stdout.Should().Contain(": 1 file, 1 byte, 0 new blobs.", text.Describe());
        apply.ShouldExitWith(0).Stdout.Should().Contain("(1 file downloaded, 1 byte)", apply.Describe());
        verify.ShouldExitWith(0).Stdout.Should().Contain("1 file, 1 byte match", verify.Describe());
        events.ShouldExitWith(0).Json().GetProperty("events")[0].GetProperty("time").GetString().Should().EndWith("Z", events.Describe());
    }

    /// <summary>Renames <paramref name="source"/> to a path given as raw bytes, which a .NET string cannot hold.</summary>
    private static void CreateFileWithRawName(string source, byte[] rawPath)
    {
        var copy = source + ".copy";
        File.Copy(source, copy);
        Rename([.. Encoding.UTF8.GetBytes(copy), 0], [.. rawPath, 0]).Should().Be(0, "the file with a raw name must be created");
    }

    // DllImport, not LibraryImport: the generated stub would need unsafe code in the test project.
    [DllImport("libc", EntryPoint = "rename", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Rename(byte[] oldPath, byte[] newPath);
}
