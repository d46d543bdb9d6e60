using System.Buffers.Binary;
using System.Runtime.Versioning;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.EndToEnd;

/// <summary>
/// Verified launch, run as processes: <c>run</c> starts a program only when its embedded signatures verify,
/// passes its arguments, output and exit code through, refuses (exit 3, nothing runs, the file unchanged)
/// every changed byte, cut, appended or borrowed trailer and untrusted key, refuses special files and scripts
/// (exit 2), and executes the descriptor it verified: a program renamed over the path after the check never runs.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class VerifiedLaunchTests : IDisposable
{
    private const int FooterSize = 24;

    private readonly TempFolder _temp = new();
    private readonly ForgedKey _a = ForgedKey.Create();
    private readonly ForgedKey _outsider = ForgedKey.Create();

    public VerifiedLaunchTests()
    {
        var keys = _temp.CreateFolder("keys");
        foreach (var (name, key) in new[] { ("a", _a), ("outsider", _outsider) })
        {
            key.WritePrivateKeyFile(Path.Combine(keys, name + ".key"));
            key.WritePublicKeyFile(Path.Combine(keys, name + ".pub"));
        }
    }

    private string KeyA => _temp.Combine("keys", "a.key");

    private string TrustA => _temp.Combine("keys", "a.pub");

    /// <summary>Where a program started by a test leaves its mark (outside the program's folder, so the folder's snapshot covers the program only).</summary>
    private string Marker => _temp.Combine("marker");

    public void Dispose()
    {
        _a.Dispose();
        _outsider.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task Run_SignedProgram_GetsItsArgumentsAndItsOutputPassesThrough()
    {
        var file = await SignedCopyOfAsync("/bin/echo", "echo");

        var result = await CliRunner.RunAsync("run", "--trust", TrustA, file, "--", "-n", "hello", "two words", "--json");

        result.ShouldExitWith(0);
        result.Stdout.Should().Be("hello two words --json", "everything after -- is the program's, --json included");
        result.Stderr.Should().BeEmpty();
    }

    [Fact]
    public async Task Run_SignedProgram_ItsExitCodeIsTheCommands()
    {
        var file = await SignedCopyOfAsync("/bin/sh", "sh");

        var result = await CliRunner.RunAsync("run", "--trust", TrustA, file, "--", "-c", "echo started; exit 7");

        result.ShouldExitWith(7);
        result.Stdout.Should().Be("started\n");
    }

    [Theory]
    [InlineData("payload-first", "are for other bytes")]
    [InlineData("payload-middle", "are for other bytes")]
    [InlineData("payload-last", "are for other bytes")]
    [InlineData("truncate-by-one", "carries no signature trailer")]
    [InlineData("truncate-mid-trailer", "carries no signature trailer")]
    [InlineData("append-byte", "carries no signature trailer")]
    [InlineData("unsigned", "carries no signature trailer")]
    public async Task Run_TamperedProgram_RefusedAndNothingRuns(string tamper, string message)
    {
        var file = await SignedCopyOfAsync("/usr/bin/touch", "touch");
        var bytes = File.ReadAllBytes(file);
        var payloadLength = PayloadLength(bytes);
        byte[] tampered = tamper switch
        {
            "payload-first" => Flip(bytes, 0),
            "payload-middle" => Flip(bytes, payloadLength / 2),
            "payload-last" => Flip(bytes, payloadLength - 1),
            "truncate-by-one" => bytes[..^1],
            "truncate-mid-trailer" => bytes[..(payloadLength + ((bytes.Length - payloadLength) / 2))],
            "append-byte" => [.. bytes, 0],
            "unsigned" => bytes[..payloadLength],
            _ => throw new ArgumentOutOfRangeException(nameof(tamper)),
        };
        File.WriteAllBytes(file, tampered);

        await RunRefusedAsync(file, TrustA, 3, message);
    }

    [Fact]
    public async Task Run_TrailerFromAnotherSignedProgram_RefusedAndNothingRuns()
    {
        var file = CopyOf("/usr/bin/touch", "touch");
        var other = await SignedCopyOfAsync("/bin/echo", "echo");
        var otherBytes = File.ReadAllBytes(other);
        var payload = File.ReadAllBytes(file);

        // The other program's trailer, its footer rewritten to add up for this file: its signatures are over other bytes.
        var trailer = otherBytes[PayloadLength(otherBytes)..];
        BinaryPrimitives.WriteUInt64LittleEndian(trailer.AsSpan(trailer.Length - FooterSize), (ulong)payload.Length);
        File.WriteAllBytes(file, [.. payload, .. trailer]);

        await RunRefusedAsync(file, TrustA, 3, "are for other bytes");
    }

    [Fact]
    public async Task Run_SignedByAKeyTheTrustRootDoesNotHold_RefusedAndNothingRuns()
    {
        var file = CopyOf("/usr/bin/touch", "touch");
        (await CliRunner.RunAsync("sign-binary", "--key", _temp.Combine("keys", "outsider.key"), file)).ShouldExitWith(0);

        await RunRefusedAsync(file, TrustA, 3, $"signed only by keys the trust root does not hold: {_outsider.KeyId}");
    }

    [Fact]
    public async Task Run_NamedPipe_RefusedWithoutWaitingForAWriter()
    {
        var folder = _temp.CreateFolder("files", "fifo");
        var fifo = Path.Combine(folder, "program");
        UnixFiles.MakeNamedPipe(fifo);

        await RunRefusedAsync(fifo, TrustA, 2, "is a named pipe (FIFO), not a regular file");
    }

    [Fact]
    public async Task Run_SignedScript_RefusedBecauseItsInterpreterWouldOpenItByPath()
    {
        var file = Path.Combine(_temp.CreateFolder("files", "script"), "script");
        File.WriteAllText(file, $"#!/bin/sh\ntouch '{Marker}'\n");
        File.SetUnixFileMode(file, (UnixFileMode)0b111_101_101);
        (await CliRunner.RunAsync("sign-binary", "--key", KeyA, file)).ShouldExitWith(0);

        await RunRefusedAsync(file, TrustA, 2, "is not an ELF executable");
    }

    [Fact]
    public async Task Run_SignedProgramWithoutExecutePermission_RefusedAndNothingRuns()
    {
        var file = await SignedCopyOfAsync("/usr/bin/touch", "touch");
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        await RunRefusedAsync(file, TrustA, 2, "cannot be executed: it has no execute permission");
    }

    [Fact]
    public async Task Run_ProgramRenamedOverThePathAfterTheCheck_TheVerifiedProgramRuns()
    {
        var file = await SignedCopyOfAsync("/usr/bin/touch", "touch");

        // The swapped-in program would make the marker a folder; the verified one makes it a file.
        var impostor = Path.Combine(Path.GetDirectoryName(file)!, "impostor");
        File.Copy("/bin/mkdir", impostor);
        var pause = new PausePoint(_temp, "after-verify-before-exec");

        using var process = CliRunner.Start(pause.Environment, "run", "--trust", TrustA, file, "--", Marker);
        await pause.WaitUntilPausedAsync(process);
        File.Move(impostor, file, overwrite: true);
        pause.Resume();
        var result = await process.WaitAsync(CliRunner.DefaultTimeout);

        result.ShouldExitWith(0);
        File.Exists(Marker).Should().BeTrue("the program that was verified ran (touch makes a file)");
        Directory.Exists(Marker).Should().BeFalse("the program renamed over the path after the check never ran");
    }

    private async Task RunRefusedAsync(string file, string trust, int exitCode, string message)
    {
        var before = TargetSnapshot.Capture(Path.GetDirectoryName(file)!);

        var result = await CliRunner.RunAsync("run", "--trust", trust, file, "--", Marker);

        result.ShouldExitWith(exitCode).ShouldReportFailureClearly();
        result.Stderr.Should().Contain(message);
        File.Exists(Marker).Should().BeFalse("a refused launch runs nothing");
        before.ShouldBeUnchanged("run only reads the program");
    }

    private static byte[] Flip(byte[] bytes, int index)
    {
        var copy = bytes.ToArray();
        copy[index] ^= 0x01;
        return copy;
    }

    private static int PayloadLength(byte[] signed) => (int)BinaryPrimitives.ReadUInt64LittleEndian(signed.AsSpan(signed.Length - FooterSize));

    private string CopyOf(string source, string name)
    {
        var file = Path.Combine(_temp.CreateFolder("files", name), name);
        File.Copy(source, file);
        return file;
    }

    private async Task<string> SignedCopyOfAsync(string source, string name)
    {
        var file = CopyOf(source, name);
        (await CliRunner.RunAsync("sign-binary", "--key", KeyA, file)).ShouldExitWith(0);
        return file;
    }
}
