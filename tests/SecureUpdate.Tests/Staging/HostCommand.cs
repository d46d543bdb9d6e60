using System.Diagnostics;

namespace SecureUpdate.Tests.Staging;

/// <summary>Runs a system tool (mkfs.xfs, mount, filefrag, strace) and returns its exit code and output.</summary>
internal static class HostCommand
{
    public static (int ExitCode, string Output) Run(string fileName, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(startInfo)!;
            var error = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, (output + error.GetAwaiter().GetResult()).Trim());
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (-1, $"{fileName}: {ex.Message}");
        }
    }

    /// <summary>Whether every extent of <paramref name="path"/> is shared with another file (a reflink), as <c>filefrag -v</c> reports it.</summary>
    public static bool SharesAllExtents(string path)
    {
        var (exitCode, output) = Run("filefrag", "-v", path);
        exitCode.Should().Be(0, "filefrag reads the extents of {0}: {1}", path, output);
        var extents = output.Split('\n').Where(line => System.Text.RegularExpressions.Regex.IsMatch(line, @"^\s*\d+:")).ToArray();
        extents.Should().NotBeEmpty("{0} has data: {1}", path, output);
        return extents.All(line => line.Contains("shared", StringComparison.Ordinal));
    }

    /// <summary>What <c>stat</c> says of <paramref name="path"/>: its inode (device:inode), hard-link count, octal mode and owner's uid.</summary>
    public static (string Inode, int Links, string Mode, int Owner) Stat(string path)
    {
        var (exitCode, output) = Run("stat", "-c", "%d:%i %h %a %u", path);
        exitCode.Should().Be(0, "stat reads {0}: {1}", path, output);
        var fields = output.Split(' ');
        return (fields[0], int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture), fields[2], int.Parse(fields[3], System.Globalization.CultureInfo.InvariantCulture));
    }
}
