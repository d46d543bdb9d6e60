using System.Runtime.Versioning;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.InfrastructureTests;

/// <summary>The snapshot sees every change a refused update could make, and only the allowed files are ignored.</summary>
public sealed class TargetSnapshotTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public TargetSnapshotTests()
    {
        Directory.CreateDirectory(_temp.Combine("versions", "1.0.0"));
        Directory.CreateDirectory(_temp.Combine(".secure-update"));
        File.WriteAllText(_temp.Combine("versions", "1.0.0", "a.txt"), "a");
        File.CreateSymbolicLink(_temp.Combine("current"), "versions/1.0.0");
    }

    public static TheoryData<string> Changes => new() { "content", "mode", "symlink", "added", "removed", "lock", "events" };

    [Theory]
    [MemberData(nameof(Changes))]
    [UnsupportedOSPlatform("windows")]
    public void Difference_AfterChange_ReportsAllButTheLockAndAuditLog(string change)
    {
        var before = TargetSnapshot.Capture(_temp.Path);
        var file = _temp.Combine("versions", "1.0.0", "a.txt");
        switch (change)
        {
            case "content":
                File.WriteAllText(file, "b");
                break;
            case "mode":
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                break;
            case "symlink":
                File.Delete(_temp.Combine("current"));
                File.CreateSymbolicLink(_temp.Combine("current"), "versions/1.1.0");
                break;
            case "added":
                Directory.CreateDirectory(_temp.Combine(".secure-update", "staging"));
                break;
            case "removed":
                File.Delete(file);
                break;
            case "lock":
                File.WriteAllText(_temp.Combine(".secure-update", "lock"), "");
                break;
            case "events":
                File.WriteAllText(_temp.Combine(".secure-update", "events.log"), "{}\n");
                break;
        }

        var difference = TargetSnapshot.Difference(before, TargetSnapshot.Capture(_temp.Path));

        if (change is "lock" or "events")
        {
            difference.Should().BeEmpty();
        }
        else
        {
            difference.Should().NotBeEmpty();
        }
    }

    public void Dispose() => _temp.Dispose();
}
