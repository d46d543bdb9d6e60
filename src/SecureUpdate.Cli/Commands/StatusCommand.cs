using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;

namespace SecureUpdate.Cli.Commands;

/// <summary>Behaviour of <c>status</c>.</summary>
internal static class StatusCommand
{
    public static int Run(ParseResult parseResult)
    {
        var output = CommonOptions.Output(parseResult);
        try
        {
            var target = TargetOptions.Read(parseResult, StatusCommandDefinition.Target, StatusCommandDefinition.TargetFile);
            using var services = CliServices.Create();
            var client = services.GetRequiredService<UpdateClient>();
            var status = client.GetStatus(target);
            return output.Success(
                new CommandOutput
                {
                    Command = "status",
                    Outcome = status.CurrentVersion is null ? "empty" : "installed",
                    Target = status.Target,
                    App = status.App,
                    Channel = status.Channel,
                    Version = status.CurrentVersion,
                    Floor = status.Floor,
                    InstalledVersions = status.InstalledVersions,
                    RejectedVersions = status.RejectedVersions,
                    PendingVersion = status.PendingVersion,
                    PendingDeadline = status.PendingDeadline,
                    TrustVersion = status.TrustVersion,
                },
                $"target:    {status.Target}",
                $"app:       {status.App ?? "(none)"}",
                $"channel:   {status.Channel ?? "(none)"}",
                $"current:   {status.CurrentVersion ?? "(none)"}",
                $"installed: {(status.InstalledVersions.Count == 0 ? "(none)" : string.Join(", ", status.InstalledVersions))}",
                $"floor:     {status.Floor ?? "(none)"}",
                $"trust:     {(status.TrustVersion is { } trust ? $"root {trust}" : "(none)")}",
                $"rejected:  {(status.RejectedVersions.Count == 0 ? "(none)" : string.Join(", ", status.RejectedVersions))}",
                $"pending:   {(status.PendingVersion is null ? "(none)" : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{status.PendingVersion} must confirm itself healthy by {status.PendingDeadline:u}"))}");
        }
        catch (Exception ex)
        {
            return output.Failure("status", ex);
        }
    }
}
