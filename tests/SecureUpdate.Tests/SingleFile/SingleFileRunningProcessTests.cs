using System.Runtime.Versioning;
using System.Text;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.SingleFile;

/// <summary>The rename over the file works while the file runs: the running process is not disturbed.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class SingleFileRunningProcessTests
{
    [Fact]
    public async Task Apply_WhileFileRuns_OldProcessKeepsRunningAndNewFileInPlace()
    {
        using var world = await SingleFileWorld.CreateAsync(installed: null);
        var feed = new FeedForger(world.Temp.Combine("feed"));
        var sleeper = new ForgedFile(SingleFileTemplate.FileName, Encoding.UTF8.GetBytes("#!/bin/sh\necho running > \"$1\"\nsleep 30\necho finished > \"$1\"\n"), executable: true);
        var next = new ForgedFile(SingleFileTemplate.FileName, Encoding.UTF8.GetBytes("#!/bin/sh\necho tool 2.0.0, the new file\n"), executable: true);
        feed.Publish(SingleFileTemplate.App, "stable", SingleFileTemplate.V1, [sleeper], null, world.Template.Key);
        (await world.ApplyAsync(feed.FeedRoot, "--app", SingleFileTemplate.App)).ShouldExitWith(0);
        feed.Publish(SingleFileTemplate.App, "stable", SingleFileTemplate.V2, [next], null, world.Template.Key);
        var marker = world.Temp.Combine("marker");

        using var running = ProgramRunner.Start([world.Target, marker]);
        await WaitForAsync(() => File.Exists(marker), "the old file to start running");

        var result = await world.ApplyAsync(feed.FeedRoot);

        result.ShouldExitWith(0).ShouldHaveNoStackTrace();
        result.JsonString("outcome").Should().Be("updated", result.Describe());
        running.HasExited.Should().BeFalse("the process started from the old file keeps running while its file is replaced");
        File.ReadAllText(marker).Should().Be("running\n", "the old process has not finished");
        SingleFileWorld.ShouldHold(world.Target, next);
        SingleFileWorld.ShouldHold(world.PreviousFile(SingleFileTemplate.V1), sleeper);
        var fresh = await ProgramRunner.RunAsync([world.Target]);
        fresh.ShouldExitWith(0).Stdout.Should().Be("tool 2.0.0, the new file\n");
        running.Kill();
    }

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!condition())
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "waiting for {0}", what);
            await Task.Delay(20);
        }
    }
}
