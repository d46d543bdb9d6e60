using System.Runtime.Versioning;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Staging;

/// <summary>
/// What an interrupted download leaves in <c>.secure-update/partial/</c> is local state that may have been changed
/// (threat: hostile local state). Changed bytes cost a download but never install wrong bytes; a sidecar that is not
/// exactly right, and a partial file that is a symlink, a named pipe, a hard link, someone else's file or a folder,
/// are thrown away and the download starts from byte 0: never followed, never blocked on, never written through,
/// and never a failed apply.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class HostilePartialTests
{
    public static TheoryData<string> SidecarMutations => new()
    {
        "garbage",
        "oversized",
        "other-blob",
        "other-size",
        "other-source",
        "weak-etag",
        "control-character",
        "unknown-member",
    };

    public static TheoryData<string> PlantedFiles => new()
    {
        "symlink",
        "hard-link",
        "named-pipe",
        "other-owner",
        "group-readable",
        "folder",
    };

    [Fact]
    public async Task Apply_PlantedPartialThatIsExactlyRight_IsContinued()
    {
        // The control for the tests below: what they change is the only reason a planted partial is not used.
        await using var world = await ResumeWorld.CreateAsync();
        world.PlantPartial(ResumeWorld.BigSize / 2);

        var result = await world.ApplyAsync();

        result.ShouldExitWith(0).ShouldHaveNoStackTrace();
        world.ShouldHaveInstalledVersion2();
        world.Server.RequestsFor(ResumeWorld.BigBlob)[0].Range.Should().Be($"bytes={ResumeWorld.BigSize / 2}-");
    }

    [Fact]
    public async Task Apply_PartialBytesChangedAfterKill_InstallsOnlyTheSignedBytes()
    {
        await using var world = await ResumeWorld.CreateAsync();
        await world.KillHalfwayAsync();
        using (var stream = new FileStream(world.PartialFile, FileMode.Open, FileAccess.ReadWrite))
        {
            stream.Position = 1000;
            var original = stream.ReadByte();
            stream.Position = 1000;
            stream.WriteByte((byte)(original ^ 0xFF));
        }

        var result = await world.ApplyAsync();

        result.ShouldExitWith(0).ShouldHaveNoStackTrace();
        world.ShouldHaveInstalledVersion2();
        var requests = world.Server.RequestsFor(ResumeWorld.BigBlob);
        requests.Select(request => request.StatusCode).Should().Equal([206, 200], "the changed partial is continued, fails the signed digest, and the file is fetched again from byte 0\n{0}", result.Describe());
        requests[1].Range.Should().BeEmpty();
    }

    [Fact]
    public async Task Apply_PartialLongerThanTheFile_StartsOverAndInstalls()
    {
        await using var world = await ResumeWorld.CreateAsync();
        world.PlantPartial(ResumeWorld.BigSize / 2);
        File.WriteAllBytes(world.PartialFile, new byte[ResumeWorld.BigSize + 10]);

        var result = await world.ApplyAsync();

        result.ShouldExitWith(0).ShouldHaveNoStackTrace();
        world.ShouldHaveInstalledVersion2();
        world.Server.RequestsFor(ResumeWorld.BigBlob)[0].Range.Should().BeEmpty();
    }

    [Theory]
    [MemberData(nameof(SidecarMutations))]
    public async Task Apply_SidecarNotExactlyRight_StartsOverFromZero(string mutation)
    {
        await using var world = await ResumeWorld.CreateAsync();
        world.PlantPartial(ResumeWorld.BigSize / 2);
        var source = world.Server.Url + "/" + ResumeWorld.BigBlob;
        var validator = world.Server.ValidatorOf(ResumeWorld.BigBlob);
        var text = mutation switch
        {
            "garbage" => "{\"schema\": \"secure-update/partial/v1\", ",
            "oversized" => ResumeWorld.SidecarText(ResumeWorld.Big.Sha256, ResumeWorld.BigSize, source, validator) + new string(' ', 5000),
            "other-blob" => ResumeWorld.SidecarText(new string('a', 64), ResumeWorld.BigSize, source, validator),
            "other-size" => ResumeWorld.SidecarText(ResumeWorld.Big.Sha256, ResumeWorld.BigSize + 1, source, validator),
            "other-source" => ResumeWorld.SidecarText(ResumeWorld.Big.Sha256, ResumeWorld.BigSize, "http://127.0.0.1:1/" + ResumeWorld.BigBlob, validator),
            "weak-etag" => ResumeWorld.SidecarText(ResumeWorld.Big.Sha256, ResumeWorld.BigSize, source, "W/" + validator),
            "control-character" => ResumeWorld.SidecarText(ResumeWorld.Big.Sha256, ResumeWorld.BigSize, source, validator + "\r\nX-Injected: 1"),
            "unknown-member" => ResumeWorld.SidecarText(ResumeWorld.Big.Sha256, ResumeWorld.BigSize, source, validator).TrimEnd('}') + ",\"offset\":0}",
            _ => throw new ArgumentOutOfRangeException(nameof(mutation)),
        };
        File.WriteAllText(world.Sidecar, text);

        var result = await world.ApplyAsync();

        result.ShouldExitWith(0).ShouldHaveNoStackTrace();
        world.ShouldHaveInstalledVersion2();
        var requests = world.Server.RequestsFor(ResumeWorld.BigBlob);
        requests[0].Range.Should().BeEmpty("a sidecar that is not exactly right is thrown away ({0})\n{1}", mutation, result.Describe());
        requests[0].IfRange.Should().BeEmpty();
    }

    [Theory]
    [MemberData(nameof(PlantedFiles))]
    public async Task Apply_PartialFileThatIsNotAPrivateRegularFile_IsIgnoredSafely(string kind)
    {
        await using var world = await ResumeWorld.CreateAsync();
        world.PlantPartial(ResumeWorld.BigSize / 2);
        var victim = world.Temp.Combine("victim");
        File.WriteAllBytes(victim, ResumeWorld.Big.Content.AsSpan(0, ResumeWorld.BigSize / 2).ToArray());

        // Owner-only like a real partial file: what is refused below is only what each case plants.
        File.SetUnixFileMode(victim, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var victimBefore = File.ReadAllBytes(victim);
        File.Delete(world.PartialFile);
        switch (kind)
        {
            case "symlink":
                File.CreateSymbolicLink(world.PartialFile, victim);
                break;
            case "hard-link":
                link(victim, world.PartialFile).Should().Be(0);
                break;
            case "named-pipe":
                UnixFiles.MakeNamedPipe(world.PartialFile);
                break;
            case "other-owner":
                File.Copy(victim, world.PartialFile);
                File.SetUnixFileMode(world.PartialFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                UnixFiles.ChangeOwner(world.PartialFile, 12345);
                break;
            case "group-readable":
                File.Copy(victim, world.PartialFile);
                File.SetUnixFileMode(world.PartialFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
                break;
            case "folder":
                Directory.CreateDirectory(world.PartialFile);
                File.CreateSymbolicLink(Path.Combine(world.PartialFile, "link"), victim);
                break;
        }

        var result = await world.ApplyAsync();

        result.ShouldExitWith(0).ShouldHaveNoStackTrace();
        world.ShouldHaveInstalledVersion2();
        world.Server.RequestsFor(ResumeWorld.BigBlob)[0].Range.Should().BeEmpty("a partial file that is a {0} is never continued\n{1}", kind, result.Describe());
        File.ReadAllBytes(victim).Should().Equal(victimBefore, "nothing is written through a planted {0}", kind);
    }

    [Theory]
    [InlineData("symlink")]
    [InlineData("named-pipe")]
    public async Task Apply_SidecarThatIsNotARegularFile_IsIgnoredSafely(string kind)
    {
        await using var world = await ResumeWorld.CreateAsync();
        world.PlantPartial(ResumeWorld.BigSize / 2);
        var outside = world.Temp.Combine("outside.json");
        File.Move(world.Sidecar, outside);
        if (kind == "symlink")
        {
            File.CreateSymbolicLink(world.Sidecar, outside);
        }
        else
        {
            UnixFiles.MakeNamedPipe(world.Sidecar);
        }

        var result = await world.ApplyAsync();

        result.ShouldExitWith(0).ShouldHaveNoStackTrace();
        world.ShouldHaveInstalledVersion2();
        world.Server.RequestsFor(ResumeWorld.BigBlob)[0].Range.Should().BeEmpty("a sidecar that is a {0} is never read", kind);
        File.Exists(outside).Should().BeTrue("what a symlink points at is never removed");
    }

    [Fact]
    public async Task Apply_PartialFolderIsASymlink_RefusedAsUnsafeAndTargetUnchanged()
    {
        await using var world = await ResumeWorld.CreateAsync();
        var outside = world.Temp.CreateFolder("outside");
        File.WriteAllText(Path.Combine(outside, "keep.txt"), "keep");
        Directory.CreateSymbolicLink(world.PartialFolder, outside);
        var before = TargetSnapshot.Capture(world.Target);

        var result = await world.ApplyAsync();

        result.ShouldExitWith(2).ShouldReportFailureClearly();
        result.Stderr.Should().Contain("partial");
        before.ShouldBeUnchanged();
        Directory.EnumerateFileSystemEntries(outside).Select(Path.GetFileName).Should().Equal(["keep.txt"], "nothing is written or removed through the symlink");
        world.Server.RequestsFor(ResumeWorld.BigBlob).Should().BeEmpty();
    }

    [Fact]
    public async Task Apply_LeftoversThatBelongToNoBlobOfTheRelease_AreRemovedOnceStaged()
    {
        await using var world = await ResumeWorld.CreateAsync();
        world.PlantPartial(ResumeWorld.BigSize / 2);
        File.WriteAllBytes(Path.Combine(world.PartialFolder, new string('b', 64)), new byte[100]);
        File.WriteAllText(Path.Combine(world.PartialFolder, new string('b', 64) + ".json"), "{}");
        File.WriteAllText(Path.Combine(world.PartialFolder, ".x.json.0123.tmp"), "{}");

        var result = await world.ApplyAsync();

        result.ShouldExitWith(0).ShouldHaveNoStackTrace();
        world.ShouldHaveInstalledVersion2();
    }

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    [System.Runtime.InteropServices.DefaultDllImportSearchPaths(System.Runtime.InteropServices.DllImportSearchPath.SafeDirectories)]
#pragma warning disable SA1300, IDE1006 // The C name.
    private static extern int link([System.Runtime.InteropServices.MarshalAs(System.Runtime.InteropServices.UnmanagedType.LPUTF8Str)] string existing, [System.Runtime.InteropServices.MarshalAs(System.Runtime.InteropServices.UnmanagedType.LPUTF8Str)] string newPath);
#pragma warning restore SA1300, IDE1006
}
