using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using SecureUpdate.Errors;

namespace SecureUpdate.Cli.Commands;

/// <summary>Behaviour of <c>events</c>.</summary>
internal static class EventsCommand
{
    public static int Run(ParseResult parseResult)
    {
        var output = CommonOptions.Output(parseResult);
        try
        {
            var target = TargetOptions.Read(parseResult, EventsCommandDefinition.Target, EventsCommandDefinition.TargetFile);
            using var services = CliServices.Create();
            var log = services.GetRequiredService<UpdateClient>().ReadEvents(target);
            var events = log.Events;
            var broken = log.Broken;
            var check = parseResult.GetValue(EventsCommandDefinition.Verify);
            if (check && broken is not null)
            {
                return output.Failure("events", Error.AuditLogBroken(broken));
            }

            var lines = events
                .Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.Time:u}  {e.Name,-22} {e.Version ?? "-",-12} {(e.FallbackMode == "none" ? "" : $"[{e.FallbackMode}] ")}{(e.ErrorCode is null ? "" : e.ErrorCode + ": ")}{e.Detail}"))
                .ToList();
            if (check)
            {
                lines.Add($"The audit log is intact: {events.Count} events, hash chain and head match.");
            }

            return output.Success(
                new CommandOutput
                {
                    Command = "events",
                    Outcome = check ? "intact" : "listed",
                    ChainIntact = broken is null,
                    Events = events,
                },
                [.. lines]);
        }
        catch (Exception ex)
        {
            return output.Failure("events", ex);
        }
    }
}
