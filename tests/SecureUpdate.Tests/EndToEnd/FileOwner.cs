using System.Diagnostics;
using System.Runtime.Versioning;

namespace SecureUpdate.Tests.EndToEnd;

/// <summary>Gives a file to another user (the tests run as root), with the system's <c>chown</c>.</summary>
[SupportedOSPlatform("linux")]
public static class FileOwner
{
    /// <summary>The conventional <c>nobody</c> user: never the user the CLI runs as.</summary>
    public const int Nobody = 65534;

    /// <summary>Makes <paramref name="uid"/> the owner of <paramref name="path"/>; fails the test when that is not possible.</summary>
    public static void Change(string path, int uid)
    {
        var startInfo = new ProcessStartInfo("chown")
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(uid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        startInfo.ArgumentList.Add(path);
        using var process = Process.Start(startInfo)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        process.ExitCode.Should().Be(0, "chown {0} must succeed (the tests run as root): {1}", uid, error);
    }
}
