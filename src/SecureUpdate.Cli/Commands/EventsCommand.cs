using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;

namespace SecureUpdate.Cli.Commands;

/// <summary>Behaviour of <c>events</c>.</summary>
internal static class EventsCommand
{
    public static int Run(ParseResult parseResult)
    {
        var output = CommonOptions.Output(parseResult);
        try
        {
            var (target, singleFile) = TargetOptions.Read(parseResult, EventsCommandDefinition.Target, EventsCommandDefinition.TargetFile);
            using var services = CliServices.Create();
            var events = services.GetRequiredService<UpdateClient>().ReadEvents(target, singleFile, out var broken);
            var check = parseResult.GetValue(EventsCommandDefinition.Verify);
            if (check && broken is not null)
            {
                return output.Failure("events", new VerificationException(SecureUpdate.ErrorCode.Malformed, UpdateStage.Verify, $"The audit log is not intact: {broken}."));
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
