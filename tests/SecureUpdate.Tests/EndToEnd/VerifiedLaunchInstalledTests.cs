using System.Runtime.Versioning;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.EndToEnd;

/// <summary>
/// Verified launch of programs inside installed targets, run as processes: <c>run</c> checks a program in a folder
/// target (through <c>current/</c> or its version folder) or a single-file target against the signed manifest the
/// target kept, with no signature in the file itself, and refuses (exit 3, nothing runs, the target unchanged) a
/// changed byte, a file the release does not name, a file it names as not executable, an altered kept manifest and
/// a foreign trust root. A program others could rewrite in place is refused in descriptor mode (exit 2) and runs
/// with <c>--in-memory</c>, where a rewrite after the check cannot change what runs.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class VerifiedLaunchInstalledTests : IDisposable
{
    private const string Version = "1.0.0";

    private readonly ReleaseWorkspace _workspace = new();
    private readonly TempFolder _temp = new();

    /// <summary>Where a program started by a test leaves its mark (outside the target, so the target's snapshot covers the program only).</summary>
    private string Marker => _temp.Combine("marker");

    private string Trust => Path.Combine(_workspace.Keys, "release.pub");

    public void Dispose()
    {
        _workspace.Dispose();
        _temp.Dispose();
    }

    [Theory]
    [InlineData("current")]
    [InlineData("versions/" + Version)]
    public async Task Run_ProgramInAFolderTarget_VerifiedByItsSignedManifestAndRun(string through)
    {
        await InstallFolderTargetAsync();

        var result = await CliRunner.RunAsync("run", "--trust", Trust, Path.Combine(_workspace.Target, through, "bin", "tool"), "--", Marker);

        result.ShouldExitWith(0);
        File.Exists(Marker).Should().BeTrue("the installed program verified against its manifest and ran, with no signature of its own");
    }

    [Fact]
    public async Task Run_ProgramInAFolderTargetWithAChangedByte_RefusedAndNothingRuns()
    {
        await InstallFolderTargetAsync();
        var program = _workspace.Installed(Version, "bin/tool");
        var bytes = File.ReadAllBytes(program);
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(program, bytes);

        await RunRefusedAsync(Path.Combine(_workspace.Target, "current", "bin", "tool"), Trust, 3, "does not match its signed SHA-256 and size");
    }

    [Fact]
    public async Task Run_ProgramDroppedIntoAVersionFolder_RefusedBecauseTheReleaseDoesNotNameIt()
    {
        await InstallFolderTargetAsync();
        var dropped = _workspace.Installed(Version, "bin/extra");
        File.Copy("/usr/bin/touch", dropped);

        await RunRefusedAsync(dropped, Trust, 3, "'bin/extra' is not part of the signed release");
    }

    [Fact]
    public async Task Run_DataFileMadeExecutableAfterInstall_RefusedBecauseTheReleaseSaysItIsNotAProgram()
    {
        await InstallFolderTargetAsync();
        var data = _workspace.Installed(Version, "share/data");
        File.SetUnixFileMode(data, ReleaseInputs.ExecutableMode);

        await RunRefusedAsync(data, Trust, 3, "'share/data' is not an executable of the signed release");
    }

    [Fact]
    public async Task Run_KeptManifestAltered_RefusedAndNothingRuns()
    {
        await InstallFolderTargetAsync();
        var manifest = Path.Combine(_workspace.Target, ".secure-update", "manifests", Version + ".json");
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("\"demo\"", "\"dem0\"", StringComparison.Ordinal));

        await RunRefusedAsync(Path.Combine(_workspace.Target, "current", "bin", "tool"), Trust, 3, "installed manifest of " + Version);
    }

    [Fact]
    public async Task Run_ProgramInATargetCheckedWithAForeignTrustRoot_RefusedAndNothingRuns()
    {
        await InstallFolderTargetAsync();
        var (_, foreign) = _workspace.GenerateKey("foreign");

        await RunRefusedAsync(Path.Combine(_workspace.Target, "current", "bin", "tool"), foreign, 3, "installed manifest of " + Version);
    }

    [Fact]
    public async Task Run_SingleFileTarget_VerifiedByItsSignedManifestAndRun_AndRefusedOnceChanged()
    {
        CopyInput("/usr/bin/touch", "tool", executable: true);
        await _workspace.PublishAsync(Version);
        var tool = Path.Combine(_temp.CreateFolder("bin"), "tool");
        await _workspace.Client.ApplyAsync(new ApplyRequest { Feed = _workspace.Feed, Trust = _workspace.Trust, Target = Target.File(tool), App = ReleaseWorkspace.App });

        (await CliRunner.RunAsync("run", "--trust", Trust, tool, "--", Marker)).ShouldExitWith(0);
        File.Exists(Marker).Should().BeTrue();
        File.Delete(Marker);

        File.AppendAllText(tool, "x");
        await RunRefusedAsync(tool, Trust, 3, "does not match its signed SHA-256 and size");
    }

    [Fact]
    public async Task Run_ProgramOthersCanWrite_RefusedInDescriptorMode()
    {
        var program = Path.Combine(_temp.CreateFolder("shared"), "tool");
        File.Copy("/usr/bin/touch", program);
        File.SetUnixFileMode(program, ReleaseInputs.ExecutableMode | UnixFileMode.GroupWrite);
        (await CliRunner.RunAsync("sign-binary", "--key", _workspace.KeyFile, program)).ShouldExitWith(0);

        await RunRefusedAsync(program, Trust, 2, "is writable by group or others: it could be rewritten between the check and the start. Make it writable only by its owner (root or you), or run a sealed in-memory copy of the verified bytes. That is what run --in-memory does.");
    }

    [Fact]
    public async Task Run_ProgramOwnedByAnotherUser_RefusedInDescriptorMode()
    {
        var program = Path.Combine(_temp.CreateFolder("other"), "tool");
        File.Copy("/usr/bin/touch", program);
        (await CliRunner.RunAsync("sign-binary", "--key", _workspace.KeyFile, program)).ShouldExitWith(0);
        UnixFiles.ChangeOwner(program);

        await RunRefusedAsync(program, Trust, 2, "is owned by another user");
    }

    [Fact]
    public async Task Run_InMemory_ProgramOthersCanWrite_RunsFromASealedCopy()
    {
        var program = Path.Combine(_temp.CreateFolder("shared"), "sh");
        File.Copy("/bin/sh", program);
        File.SetUnixFileMode(program, ReleaseInputs.ExecutableMode | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite);
        (await CliRunner.RunAsync("sign-binary", "--key", _workspace.KeyFile, program)).ShouldExitWith(0);

        var result = await CliRunner.RunAsync("run", "--trust", Trust, "--in-memory", program, "--", "-c", "readlink /proc/$$/exe");

        result.ShouldExitWith(0);
        result.Stdout.Should().StartWith("/memfd:secure-update-run", "the program runs from the sealed copy, which it sees as its own executable");
    }

    [Fact]
    public async Task Run_InMemory_ProgramRewrittenInPlaceAfterTheCheck_TheVerifiedBytesRun()
    {
        var program = Path.Combine(_temp.CreateFolder("shared"), "tool");
        File.Copy("/usr/bin/touch", program);
        File.SetUnixFileMode(program, ReleaseInputs.ExecutableMode | UnixFileMode.OtherWrite);
        (await CliRunner.RunAsync("sign-binary", "--key", _workspace.KeyFile, program)).ShouldExitWith(0);
        var pause = new PausePoint(_temp, "after-verify-before-exec");

        using var process = CliRunner.Start(pause.Environment, "run", "--trust", Trust, "--in-memory", program, "--", Marker);
        await pause.WaitUntilPausedAsync(process);

        // The same inode, rewritten with another program (mkdir would make the marker a folder).
        using (var same = new FileStream(program, FileMode.Open, FileAccess.Write))
        {
            var impostor = File.ReadAllBytes("/bin/mkdir");
            same.SetLength(0);
            same.Write(impostor);
        }

        pause.Resume();
        var result = await process.WaitAsync(CliRunner.DefaultTimeout);

        result.ShouldExitWith(0);
        File.Exists(Marker).Should().BeTrue("the verified program ran (touch makes a file)");
        Directory.Exists(Marker).Should().BeFalse("the bytes written into the file after the check never ran");
    }

    [Fact]
    public async Task Run_InMemory_TamperedProgram_RefusedAndNothingRuns()
    {
        var program = Path.Combine(_temp.CreateFolder("shared"), "tool");
        File.Copy("/usr/bin/touch", program);
        (await CliRunner.RunAsync("sign-binary", "--key", _workspace.KeyFile, program)).ShouldExitWith(0);
        var bytes = File.ReadAllBytes(program);
        bytes[100] ^= 0x01;
        File.WriteAllBytes(program, bytes);
        var before = TargetSnapshot.Capture(Path.GetDirectoryName(program)!);

        var result = await CliRunner.RunAsync("run", "--trust", Trust, "--in-memory", program, "--", Marker);

        result.ShouldExitWith(3).ShouldReportFailureClearly();
        File.Exists(Marker).Should().BeFalse();
        before.ShouldBeUnchanged("run only reads the program");
    }

    private async Task InstallFolderTargetAsync()
    {
        CopyInput("/usr/bin/touch", "bin/tool", executable: true);
        CopyInput("/usr/bin/touch", "share/data", executable: false);
        await _workspace.PublishAsync(Version);
        (await _workspace.ApplyAsync()).Outcome.Should().Be(ApplyOutcome.Installed);
    }

    private void CopyInput(string source, string relative, bool executable)
    {
        var path = Path.Combine(_workspace.Input, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Copy(source, path);
        File.SetUnixFileMode(path, executable ? ReleaseInputs.ExecutableMode : ReleaseInputs.RegularMode);
    }

    private async Task RunRefusedAsync(string file, string trust, int exitCode, string message)
    {
        var before = TargetSnapshot.Capture(Path.GetDirectoryName(file)!);
        var target = TargetSnapshot.Capture(_workspace.Target);

        var result = await CliRunner.RunAsync("run", "--trust", trust, file, "--", Marker);

        result.ShouldExitWith(exitCode).ShouldReportFailureClearly();
        result.Stderr.Should().Contain(message);
        File.Exists(Marker).Should().BeFalse("a refused launch runs nothing");
        before.ShouldBeUnchanged("run only reads the program");
        target.ShouldBeUnchanged("run only reads the target");
    }
}
