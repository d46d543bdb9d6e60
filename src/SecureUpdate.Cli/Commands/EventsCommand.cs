using System.Buffers;
using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SecureUpdate.Errors;

namespace SecureUpdate.Cli.Commands;

/// <summary>
/// Behaviour of <c>events</c>. The log is read twice, line by line (once to check it, once to print
/// it), and printed as it is read: memory stays bounded whatever the size of the log.
/// </summary>
internal static class EventsCommand
{
    // The same JSON as every other command's output: relaxed escaping, the object on one line.
    private const int FlushBytes = 64 * 1024;

    public static int Run(ParseResult parseResult)
    {
        var output = CommonOptions.Output(parseResult);
        try
        {
            var target = TargetOptions.Read(parseResult, EventsCommandDefinition.Target, EventsCommandDefinition.TargetFile);
            using var services = CliServices.Create();
            var client = services.GetRequiredService<UpdateClient>();
            var broken = client.VerifyEvents(target);
            var check = parseResult.GetValue(EventsCommandDefinition.Verify);
            if (check && broken is not null)
            {
                return output.Failure("events", Error.AuditLogBroken(broken));
            }

            var events = client.EnumerateEvents(target);
            var outcome = check ? "intact" : "listed";
            if (output.Json)
            {
                WriteJson(output.Out, outcome, events, broken);
                return ExitCodes.Success;
            }

            long count = 0;
            foreach (var e in events)
            {
                count++;
                var fallback = e.FallbackMode == "none" ? "" : $"[{e.FallbackMode}] ";
                var error = e.ErrorName is null ? "" : e.ErrorName + ": ";
                output.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{e.Time:u}  {e.Name,-22} {e.Version ?? "-",-12} {fallback}{error}{e.Detail}"));
            }

            if (check)
            {
                output.Out.WriteLine($"The audit log is intact: {count} events, hash chain and head match.");
            }
            else if (broken is not null)
            {
                output.Out.WriteLine($"The audit log is not intact: {broken}.");
            }

            return ExitCodes.Success;
        }
        catch (Exception ex)
        {
            return output.Failure("events", ex);
        }
    }

    /// <summary>The command's usual JSON object (<c>command</c>, <c>outcome</c>, <c>events</c>, <c>chainIntact</c>), written event by event.</summary>
    private static void WriteJson(TextWriter output, string outcome, IEnumerable<AuditEvent> events, string? broken)
    {
        var buffer = new ArrayBufferWriter<byte>(FlushBytes);
        using var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        writer.WriteStartObject();
        writer.WriteString("command", "events");
        writer.WriteString("outcome", outcome);
        writer.WriteStartArray("events");
        foreach (var e in events)
        {
            JsonSerializer.Serialize(writer, e, CliOutput.JsonContext.AuditEvent);
            if (writer.BytesPending + buffer.WrittenCount >= FlushBytes)
            {
                Flush(writer, buffer, output);
            }
        }

        writer.WriteEndArray();
        writer.WriteBoolean("chainIntact", broken is null);
        if (broken is not null)
        {
            writer.WriteString("message", $"The audit log is not intact: {broken}.");
        }

        writer.WriteEndObject();
        Flush(writer, buffer, output);
        output.WriteLine();
    }

    private static void Flush(Utf8JsonWriter writer, ArrayBufferWriter<byte> buffer, TextWriter output)
    {
        writer.Flush();
        output.Write(Encoding.UTF8.GetString(buffer.WrittenSpan));
        buffer.ResetWrittenCount();
    }
}
