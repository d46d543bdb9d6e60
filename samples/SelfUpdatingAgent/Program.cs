// A long-running agent that keeps itself up to date with the SecureUpdate package: it checks a
// feed on an interval with jitter, stages a newer signed release while it runs, hands off to the
// `secure-update swap` companion and exits; the companion switches and restarts it, and the new
// version confirms itself healthy or is reverted. See samples/README.md.
using System.IO.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SecureUpdate;
using SecureUpdate.Errors;
using SecureUpdate.Trust;
using SelfUpdatingAgent;

if (!AgentArguments.TryParse(args, out var arguments, out var error))
{
    await Console.Error.WriteLineAsync($"SelfUpdatingAgent: {error}\n{AgentArguments.Usage}");
    return 2;
}

try
{
    // Refuse a bad trust file here, with a clear message, rather than as a fault of the running service.
    TrustRoot.Load(new FileSystem(), arguments.TrustFile);
}
catch (SecureUpdateException ex)
{
    await Console.Error.WriteLineAsync($"SelfUpdatingAgent: {ex.Message}");
    return 2;
}

var builder = Host.CreateApplicationBuilder();
builder.Logging.ClearProviders();
builder.Logging.AddSimpleConsole(console =>
{
    console.SingleLine = true;
    console.TimestampFormat = "HH:mm:ss.fff ";
});
builder.Logging.AddFilter("System.Net.Http", LogLevel.Warning);
builder.Services.AddSingleton(arguments);
builder.Services.AddSingleton<StatusFile>();
builder.Services.AddSecureUpdateAgent(agent =>
{
    agent.Feed = arguments.Feed;
    agent.TrustFile = arguments.TrustFile;
    agent.Target = arguments.Target;
    agent.CompanionPath = arguments.Companion;
    agent.RestartCommand = arguments.RestartCommand();
    agent.CompanionLogFile = arguments.LogFile;
    agent.CheckInterval = arguments.Interval;
    agent.Jitter = arguments.Jitter;
    agent.ConfirmWithin = arguments.ConfirmWithin;
    agent.ConfirmAfter = TimeSpan.FromSeconds(1);
    agent.HealthCheck = Health.CheckAsync;
});
builder.Services.AddHostedService<StatusReporter>();

using var host = builder.Build();
var backgroundServices = host.Services.GetServices<IHostedService>().OfType<BackgroundService>().ToList();
try
{
    await host.RunAsync();
}
catch (OptionsValidationException ex)
{
    await Console.Error.WriteLineAsync($"SelfUpdatingAgent: {ex.Message}");
    return 2;
}

// A background service that failed stopped the host: say so to whoever supervises this process.
return backgroundServices.Any(service => service.ExecuteTask?.IsFaulted == true) ? 1 : 0;
