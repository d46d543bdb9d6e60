namespace SecureUpdate.Tests.Infrastructure;

/// <summary>
/// A CLI process held at a named point by <c>SECURE_UPDATE_TEST_PAUSE_AT=POINT|FOLDER</c>: it writes
/// <c>FOLDER/paused</c> when it gets there and goes on once <c>FOLDER/resume</c> exists, so a test can change
/// the disk at exactly that moment.
/// </summary>
public sealed class PausePoint
{
    private readonly string _folder;

    public PausePoint(TempFolder temp, string point)
    {
        ArgumentNullException.ThrowIfNull(temp);
        _folder = temp.CreateFolder("pause-" + point);
        Environment = new Dictionary<string, string?> { ["SECURE_UPDATE_TEST_PAUSE_AT"] = $"{point}|{_folder}" };
    }

    /// <summary>The environment that makes the CLI pause there.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; }

    /// <summary>Waits until <paramref name="process"/> is paused; fails with its output when it ends or never gets there.</summary>
    public async Task WaitUntilPausedAsync(CliProcess process)
    {
        ArgumentNullException.ThrowIfNull(process);
        for (var waited = 0; !File.Exists(Path.Combine(_folder, "paused")); waited++)
        {
            if (process.HasExited || waited > 3000)
            {
                var result = await process.WaitAsync(CliRunner.DefaultTimeout);
                throw new InvalidOperationException($"the CLI never reached the pause point\n{result.Describe()}");
            }

            await Task.Delay(10);
        }
    }

    /// <summary>Lets the paused process go on.</summary>
    public void Resume() => File.WriteAllText(Path.Combine(_folder, "resume"), string.Empty);
}
