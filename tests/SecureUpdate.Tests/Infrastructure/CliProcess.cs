using System.Diagnostics;

namespace SecureUpdate.Tests.Infrastructure;

/// <summary>A running CLI process whose output is being captured.</summary>
public sealed class CliProcess : IDisposable
{
    private readonly Process _process;
    private readonly IReadOnlyList<string> _arguments;
    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;
    private readonly Stopwatch _stopwatch;

    internal CliProcess(Process process, IReadOnlyList<string> arguments)
    {
        _process = process;
        _arguments = arguments;
        _stopwatch = Stopwatch.StartNew();
        _stdout = process.StandardOutput.ReadToEndAsync();
        _stderr = process.StandardError.ReadToEndAsync();
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Waits for the process to exit; kills its whole tree and fails the test when it takes longer than <paramref name="timeout"/>.</summary>
    public async Task<CliResult> WaitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            await _process.WaitForExitAsync();
            var partial = new CliResult(_arguments, -1, await _stdout, await _stderr, _stopwatch.Elapsed);
            throw new TimeoutException($"The CLI did not exit within {timeout.TotalSeconds} s and was killed.\n{partial.Describe()}");
        }

        var stdout = await _stdout;
        var stderr = await _stderr;
        _stopwatch.Stop();
        return new CliResult(_arguments, _process.ExitCode, stdout, stderr, _stopwatch.Elapsed);
    }

    /// <summary>Kills the process and everything it started.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
