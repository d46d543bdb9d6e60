using System.Text.Json;

namespace SelfUpdatingAgent;

/// <summary>
/// Writes <c>{"version", "pid", "state", "handingOffTo", "time"}</c> to the status file, atomically
/// (a temporary file renamed over it), so a reader never sees half a document.
/// </summary>
internal sealed class StatusFile
{
    private readonly string? _path;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _lock = new();

    public StatusFile(AgentArguments arguments, TimeProvider timeProvider)
    {
        _path = arguments.StatusFile;
        _timeProvider = timeProvider;
    }

    public void Write(AgentState state, string? handingOffTo = null)
    {
        if (_path is null)
        {
            return;
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("version", AgentVersion.Current);
            json.WriteNumber("pid", Environment.ProcessId);
            json.WriteString("state", Name(state));
            json.WriteString("handingOffTo", handingOffTo);
            json.WriteString("time", _timeProvider.GetUtcNow());
            json.WriteEndObject();
        }

        lock (_lock)
        {
            var temporary = $"{_path}.{Environment.ProcessId}.tmp";
            File.WriteAllBytes(temporary, buffer.ToArray());
            File.Move(temporary, _path, overwrite: true);
        }
    }

    public static string Name(AgentState state) => state switch
    {
        AgentState.Started => "started",
        AgentState.Confirmed => "confirmed",
        AgentState.HandingOff => "handing-off",
        _ => "stopping",
    };
}
