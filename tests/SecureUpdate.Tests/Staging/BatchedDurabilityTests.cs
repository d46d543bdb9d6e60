using System.Runtime.Versioning;
using System.Text;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Staging;

/// <summary>
/// Staging makes its files durable together, once, before anything points at them: the real CLI is run under
/// <c>strace</c> and its system calls are read. Every staged file is created new (no truncation), with its mode on the
/// open descriptor (no chmod by path), unlocked (the staging folder is owner-only) and never fsynced alone; one
/// <c>syncfs</c> of the staging file system comes after the last staged file and before the journal and the switch,
/// for a first install, an update that reuses installed files (hard-linked here, on ext4), and a single-file target.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class BatchedDurabilityTests
{
    private const string TracedCalls = "openat,open,creat,fsync,fdatasync,syncfs,sync,ftruncate,truncate,flock,chmod,fchmodat,rename,renameat,renameat2,symlink,symlinkat,link,linkat";

    [Fact]
    public async Task Apply_FolderTarget_StagedFilesDurableInOnePassBeforeJournalAndSwitch()
    {
        using var temp = new TempFolder();
        var template = await ReleaseTemplate.GetAsync();
        var feed = temp.CreateFolder("feed");
        var target = temp.Combine("target");
        var files1 = Files(version: 1);
        var files2 = files1.Take(files1.Length - 1).Append(new ForgedFile("z/changed.bin", ReleaseInputs.Bytes(seed: 99, length: 1000))).ToArray();
        ReleaseInputs.WriteFolder(temp.Combine("in-1"), files1);
        ReleaseInputs.WriteFolder(temp.Combine("in-2"), files2);
        (await Release(feed, ReleaseInputs.V1, temp.Combine("in-1"), template)).ShouldExitWith(0);

        var install = Traced(temp, "install", "apply", "--feed", feed, "--trust", template.TrustFile, "--target", target, "--app", ReleaseInputs.App, "--json");
        ShouldStageInOneDurablePass(install, files1.Length, "current", linkedFiles: 0);

        (await Release(feed, ReleaseInputs.V2, temp.Combine("in-2"), template)).ShouldExitWith(0);
        var update = Traced(temp, "update", "apply", "--feed", feed, "--trust", template.TrustFile, "--target", target, "--json");
        ShouldStageInOneDurablePass(update, files2.Length, "current", linkedFiles: files2.Length - 1);
        TargetAssert.CurrentVersion(target).Should().Be(ReleaseInputs.V2);
        TargetAssert.ShouldHoldExactly(Path.Combine(target, "versions", ReleaseInputs.V2), files2);
    }

    [Fact]
    public async Task Apply_FileTarget_StagedFileDurableBeforeJournalAndSwitch()
    {
        using var temp = new TempFolder();
        var template = await ReleaseTemplate.GetAsync();
        var feed = temp.CreateFolder("feed");
        var target = temp.Combine("bin", "tool");
        Directory.CreateDirectory(temp.Combine("bin"));
        var tool = new ForgedFile("tool", ReleaseInputs.Bytes(seed: 5, length: 600_000), executable: true);
        ReleaseInputs.WriteFolder(temp.Combine("in"), [tool]);
        (await Release(feed, ReleaseInputs.V1, temp.Combine("in"), template)).ShouldExitWith(0);

        var install = Traced(temp, "file", "apply", "--feed", feed, "--trust", template.TrustFile, "--target-file", target, "--app", ReleaseInputs.App, "--json");

        ShouldStageInOneDurablePass(install, 1, "tool", linkedFiles: 0);
        File.ReadAllBytes(target).Should().Equal(tool.Content);
        File.GetUnixFileMode(target).Should().Be(ReleaseInputs.ExecutableMode);
    }

    /// <summary>
    /// Reads the trace: the staged files (created under <c>staging/</c>, or hard-linked there from the installed version:
    /// <paramref name="linkedFiles"/> of them, on this machine's ext4), the one <c>syncfs</c>, and the renames of the
    /// journal and of the switched entry (<paramref name="switched"/>), in the order they happened.
    /// </summary>
    private static void ShouldStageInOneDurablePass(string[] trace, int stagedFiles, string switched, int linkedFiles)
    {
        var created = Lines(trace, line => Call(line) == "openat" && line.Contains("O_CREAT", StringComparison.Ordinal) && FirstQuoted(line).Contains(".secure-update/staging/", StringComparison.Ordinal));
        foreach (var index in created)
        {
            trace[index].Should().Contain("O_EXCL", "a staging file is new: created exclusively, never truncated");
            trace[index].Should().NotContain("O_TRUNC", "a new file has nothing to truncate");
        }

        // Where the file system cannot clone, the first reused files (one per parallel download) are created once to try,
        // then linked instead.
        var linked = Lines(trace, line => Call(line) is "link" or "linkat" && LastQuoted(line).Contains(".secure-update/staging/", StringComparison.Ordinal));
        linked.Should().HaveCount(linkedFiles, "the unchanged files are linked: {0}", string.Join('\n', linked.Select(i => trace[i])));
        foreach (var index in linked)
        {
            trace[Completion(trace, index, Call(trace[index]))].Should().EndWith("= 0", "the link succeeded");
        }

        var linkedPaths = linked.Select(index => LastQuoted(trace[index])).ToHashSet(StringComparer.Ordinal);
        var createdPaths = created.Select(index => FirstQuoted(trace[index])).ToArray();
        createdPaths.Where(path => !linkedPaths.Contains(path)).Should().HaveCount(stagedFiles - linkedFiles, "each other staged file is created once");
        createdPaths.Count(linkedPaths.Contains).Should().BeLessThanOrEqualTo(new SecureUpdate.Configuration.SecureUpdateOptions().MaxParallelDownloads, "a clone is tried at most once per parallel download");
        var staged = createdPaths.Concat(linkedPaths).ToHashSet(StringComparer.Ordinal);
        staged.Should().HaveCount(stagedFiles, "each file of the release is staged");
        Lines(trace, line => Call(line) is "fsync" or "fdatasync" or "ftruncate" or "flock" && staged.Contains(DescriptorPath(line)))
            .Select(i => trace[i]).Should().BeEmpty("a staged file is not truncated, locked or fsynced on its own");
        Lines(trace, line => Call(line) is "chmod" or "fchmodat" or "truncate" && staged.Contains(FirstQuoted(line)))
            .Select(i => trace[i]).Should().BeEmpty("a staged file gets its mode on its descriptor when created, not by path");

        var syncs = Lines(trace, line => Call(line) == "syncfs");
        syncs.Should().ContainSingle("the staged files are made durable in one pass");
        var synced = Completion(trace, syncs[0], "syncfs");
        trace[synced].Should().EndWith("= 0", "syncfs succeeded");
        DescriptorPath(trace[syncs[0]]).Should().Contain(".secure-update/staging/", "syncfs is called on the staging folder's file system");
        syncs[0].Should().BeGreaterThan(created.Concat(linked).Max(), "syncfs comes after the last staged file");

        var journal = Lines(trace, line => Call(line).StartsWith("rename", StringComparison.Ordinal) && LastQuoted(line).EndsWith("/journal.json", StringComparison.Ordinal));
        journal.Should().NotBeEmpty("the change is journaled");
        journal.Min().Should().BeGreaterThan(synced, "the journal is written only once everything staged is durable");
        var switches = Lines(trace, line => Call(line).StartsWith("rename", StringComparison.Ordinal) && LastQuoted(line).EndsWith("/" + switched, StringComparison.Ordinal));
        switches.Should().NotBeEmpty("the target is switched");
        switches.Min().Should().BeGreaterThan(synced, "nothing points at the staged files before they are durable");
    }

    /// <summary>The system call a trace line starts (after the process id), or "" for a "resumed" line.</summary>
    private static string Call(string line)
    {
        var match = System.Text.RegularExpressions.Regex.Match(line, @"^\d+\s+(\w+)\(");
        return match.Success ? match.Groups[1].Value : "";
    }

    /// <summary>The path <c>strace -y</c> shows for the first descriptor argument, e.g. <c>fsync(12&lt;/path&gt;)</c>.</summary>
    private static string DescriptorPath(string line)
    {
        var match = System.Text.RegularExpressions.Regex.Match(line, @"^\d+\s+\w+\(\d+<([^>]*)>");
        return match.Success ? match.Groups[1].Value : "";
    }

    private static string FirstQuoted(string line)
    {
        var match = System.Text.RegularExpressions.Regex.Match(line, "\"([^\"]*)\"");
        return match.Success ? match.Groups[1].Value : "";
    }

    private static string LastQuoted(string line)
    {
        var matches = System.Text.RegularExpressions.Regex.Matches(line, "\"([^\"]*)\"");
        return matches.Count > 0 ? matches[^1].Groups[1].Value : "";
    }

    private static List<int> Lines(string[] trace, Func<string, bool> predicate) =>
        trace.Select((line, index) => (line, index)).Where(pair => predicate(pair.line)).Select(pair => pair.index).ToList();

    /// <summary>The line where the call begun at <paramref name="start"/> returned (the same line, or its "resumed" line).</summary>
    private static int Completion(string[] trace, int start, string call)
    {
        if (!trace[start].Contains("<unfinished", StringComparison.Ordinal))
        {
            return start;
        }

        var pid = trace[start].Split(' ', 2)[0];
        for (var i = start + 1; i < trace.Length; i++)
        {
            if (trace[i].StartsWith(pid + " ", StringComparison.Ordinal) && trace[i].Contains($"<... {call} resumed>", StringComparison.Ordinal))
            {
                return i;
            }
        }

        throw new InvalidOperationException($"{call} never returned in the trace");
    }

    /// <summary>Runs the CLI under <c>strace -f -y</c> (descriptors shown with their paths) and returns the trace, one call a line.</summary>
    private static string[] Traced(TempFolder temp, string name, params string[] arguments)
    {
        var output = temp.Combine($"strace-{name}.txt");
        var (fileName, dll) = CliRunner.Locate();
        string[] command = ["-f", "-y", "-qq", "-o", output, "-e", $"trace={TracedCalls}", fileName, .. dll is null ? Array.Empty<string>() : [dll], .. arguments];
        var (exitCode, text) = HostCommand.Run("strace", command);
        exitCode.Should().Be(0, "the traced apply succeeds (strace is installed by test.sh when missing): {0}", text);
        return File.ReadAllLines(output);
    }

    private static ForgedFile[] Files(int version) =>
    [
        new("bin/app", Encoding.UTF8.GetBytes($"#!/bin/sh\necho {version}\n"), executable: true),
        .. Enumerable.Range(0, 24).Select(i => new ForgedFile($"d{i % 3}/f{i:00}.bin", ReleaseInputs.Bytes(seed: 100 + i, length: 1000 + (i * 37)))),
        new("big/large.bin", ReleaseInputs.Bytes(seed: 7, length: 1_200_000)),
        new("z/changed.bin", ReleaseInputs.Bytes(seed: 8, length: 1000)),
    ];

    private static Task<CliResult> Release(string feed, string version, string input, ReleaseTemplate template) =>
        CliRunner.RunAsync("release", "--feed", feed, "--app", ReleaseInputs.App, "--version", version, "--input", input, "--key", template.KeyFile, "--json");
}
