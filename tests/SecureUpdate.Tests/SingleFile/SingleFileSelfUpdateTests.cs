using System.Runtime.Versioning;
using System.Text;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.SingleFile;

/// <summary>
/// <c>tool self-update</c>: a running program updates its own file through <c>apply --target-file</c>, and
/// <c>secure-update</c> updates itself, while it runs, from a release of a modified copy of itself.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class SingleFileSelfUpdateTests
{
    [Fact]
    public async Task Apply_RunningScriptUpdatesItself_OldScriptFinishesAndNewScriptVerifies()
    {
        using var world = await SingleFileWorld.CreateAsync(installed: null);
        var feed = new FeedForger(world.Temp.Combine("feed"));

        // Started as: tool FEED TRUST CLI [DLL]; it runs the CLI on its own path, then goes on running.
        var updater = new ForgedFile(SingleFileTemplate.FileName, Encoding.UTF8.GetBytes(
            "#!/bin/sh\nfeed=\"$1\"; trust=\"$2\"; shift 2\n\"$@\" apply --feed \"$feed\" --trust \"$trust\" --target-file \"$0\" --json\nstatus=$?\necho\necho \"tool 1.0.0 still running after its update (exit $status)\"\nexit $status\n"),
            executable: true);
        var updated = new ForgedFile(SingleFileTemplate.FileName, Encoding.UTF8.GetBytes("#!/bin/sh\necho tool 2.0.0\n"), executable: true);
        feed.Publish(SingleFileTemplate.App, "stable", SingleFileTemplate.V1, [updater], null, world.Template.Key);
        (await world.ApplyAsync(feed.FeedRoot, "--app", SingleFileTemplate.App)).ShouldExitWith(0);
        feed.Publish(SingleFileTemplate.App, "stable", SingleFileTemplate.V2, [updated], null, world.Template.Key);

        var run = await ProgramRunner.RunAsync([world.Target, feed.FeedRoot, world.TrustFile, .. CliUnderTest.CommandLine]);

        run.ShouldExitWith(0).ShouldHaveNoStackTrace();
        run.Stdout.Should().Contain("\"outcome\":\"updated\"", run.Describe());
        run.Stdout.Should().EndWith("tool 1.0.0 still running after its update (exit 0)\n", "the old script goes on from the file it was started from");
        SingleFileWorld.ShouldHold(world.Target, updated);
        (await ProgramRunner.RunAsync([world.Target])).ShouldExitWith(0).Stdout.Should().Be("tool 2.0.0\n");
        (await world.VerifyAsync()).ShouldExitWith(0).JsonString("version").Should().Be(SingleFileTemplate.V2);
    }

    [Fact]
    public async Task Apply_CliReplacesItsOwnFileWhileRunning_NewFileRunsAndVerifiesItself()
    {
        // Native: the copied executable, the one file a host needs, replaces its own ELF file.
        // JIT: the copied build replaces the secure-update.dll that the running runtime has mapped.
        using var temp = new TempFolder();
        SingleFileTemplate.CreateOwnerOnlyFolder(temp.Path);
        var template = await SingleFileTemplate.GetAsync();
        var folder = SingleFileTemplate.CreateOwnerOnlyFolder(temp.Combine("bin"));
        var self = CliUnderTest.CopyInto(folder);
        var name = Path.GetFileName(self);
        var original = File.ReadAllBytes(self);
        var v1 = new ForgedFile(name, original, executable: CliUnderTest.IsNative);
        var v2 = new ForgedFile(name, [.. original, (byte)'\n'], executable: CliUnderTest.IsNative);
        var feed = new FeedForger(temp.Combine("feed"));
        feed.Publish("secure-update", "stable", SingleFileTemplate.V1, [v1], null, template.Key);
        var cli = CliUnderTest.CommandLineFor(self);
        string[] apply = ["apply", "--feed", feed.FeedRoot, "--trust", template.TrustFile, "--target-file", self, "--json"];

        var install = await ProgramRunner.RunAsync([.. cli, .. apply, "--app", "secure-update"]);

        install.ShouldExitWith(0).ShouldHaveNoStackTrace();
        install.JsonString("outcome").Should().Be("installed", install.Describe());
        SingleFileWorld.ShouldHold(self, v1);

        feed.Publish("secure-update", "stable", SingleFileTemplate.V2, [v2], null, template.Key);
        var update = await ProgramRunner.RunAsync([.. cli, .. apply]);

        update.ShouldExitWith(0).ShouldHaveNoStackTrace();
        update.JsonString("outcome").Should().Be("updated", update.Describe());
        update.JsonString("version").Should().Be(SingleFileTemplate.V2);
        SingleFileWorld.ShouldHold(self, v2, "(the running CLI replaced its own file)");
        (await ProgramRunner.RunAsync([.. cli, "--version"])).ShouldExitWith(0).ShouldHaveNoStackTrace();
        var verify = await ProgramRunner.RunAsync([.. cli, "verify", "--target-file", self, "--trust", template.TrustFile, "--json"]);
        verify.ShouldExitWith(0).JsonString("version").Should().Be(SingleFileTemplate.V2, verify.Describe());
        SingleFileWorld.ShouldHold(Path.Combine(folder, "." + name + ".secure-update", "previous-" + SingleFileTemplate.V1), v1, "(the previous CLI is kept for rollback)");
    }
}
