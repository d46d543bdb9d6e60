using System.Diagnostics;

namespace SecureUpdate.Tests.Infrastructure;

/// <summary>
/// SoftHSM2, the software HSM the PKCS#11 tests sign in: where its module is on this machine and how
/// to make a token. <c>./test.sh</c> installs it; when it is missing the tests fail and say so, they
/// never skip.
/// </summary>
public static class SoftHsm
{
    /// <summary>The usual places of <c>libsofthsm2.so</c> (Debian and Ubuntu first, then Fedora, then source builds).</summary>
    private static readonly string[] s_moduleCandidates =
    [
        "/usr/lib/softhsm/libsofthsm2.so",
        "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
        "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
        "/usr/lib64/pkcs11/libsofthsm2.so",
        "/usr/lib/pkcs11/libsofthsm2.so",
        "/usr/local/lib/softhsm/libsofthsm2.so",
    ];

    private static readonly Lazy<string> s_module = new(LocateModule);

    /// <summary>The SoftHSM2 PKCS#11 module found on this machine.</summary>
    public static string ModulePath => s_module.Value;

    /// <summary>Initialises a new token labelled <paramref name="label"/> in the first free slot of the store <paramref name="configFile"/> names.</summary>
    public static void InitToken(string configFile, string label, string userPin, string soPin = "87654321")
    {
        _ = ModulePath; // A clear failure first when SoftHSM2 is not installed at all.
        var startInfo = new ProcessStartInfo("softhsm2-util")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--init-token", "--free", "--label", label, "--so-pin", soPin, "--pin", userPin })
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment["SOFTHSM2_CONF"] = configFile;
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException("softhsm2-util did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill();
            throw new TimeoutException("softhsm2-util --init-token did not finish within 60 s.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"softhsm2-util --init-token --label {label} exited {process.ExitCode}:\n{stdout.Result}\n{stderr}");
        }
    }

    /// <summary>Writes a SoftHSM2 configuration whose token store is <paramref name="tokenFolder"/>.</summary>
    public static void WriteConfig(string configFile, string tokenFolder)
    {
        Directory.CreateDirectory(tokenFolder);
        File.WriteAllText(configFile, $"directories.tokendir = {tokenFolder}\nobjectstore.backend = file\nlog.level = ERROR\n");
    }

    private static string LocateModule()
    {
        foreach (var candidate in s_moduleCandidates)
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            $"SoftHSM2 is not installed: no libsofthsm2.so in {string.Join(", ", s_moduleCandidates)}. " +
            "The PKCS#11 tests need it; ./test.sh installs it (apt-get install softhsm2).");
    }
}
