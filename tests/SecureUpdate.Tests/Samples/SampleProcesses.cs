using System.Globalization;
using SecureUpdate.Tests.Companion;

namespace SecureUpdate.Tests.Samples;

/// <summary>
/// Finds the processes a sample test started, directly or through the companion (which detaches what it
/// starts): every process whose command line names the test's own temporary folder. Ends them by id.
/// </summary>
internal static class SampleProcesses
{
    /// <summary>The ids of running processes whose command line contains <paramref name="folder"/>, this one excepted.</summary>
    public static IReadOnlyList<int> Mentioning(string folder)
    {
        var found = new List<int>();
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                var commandLine = File.ReadAllText(Path.Combine(entry, "cmdline")).Replace('\0', ' ');
                if (commandLine.Contains(folder, StringComparison.Ordinal) && ProcessProbe.IsRunning(pid))
                {
                    found.Add(pid);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Gone in the meantime, or not ours to read.
            }
        }

        return found;
    }

    /// <summary>Kills <paramref name="pids"/> and every process that names <paramref name="folder"/>, and waits (bounded) until they are gone.</summary>
    public static async Task KillAsync(string folder, IEnumerable<int> pids)
    {
        // Twice: a companion killed mid-way cannot start anything new, but one may have just started an agent.
        for (var round = 0; round < 2; round++)
        {
            var victims = pids.Concat(Mentioning(folder)).Distinct().ToList();
            foreach (var pid in victims)
            {
                ProcessProbe.Kill(pid);
            }

            foreach (var pid in victims)
            {
                await ProcessProbe.WaitForExitAsync(pid, TimeSpan.FromSeconds(5));
            }
        }
    }
}
