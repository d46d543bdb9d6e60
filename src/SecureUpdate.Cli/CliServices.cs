using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SecureUpdate.Configuration;
using SecureUpdate.Trust;

namespace SecureUpdate.Cli;

/// <summary>
/// The library's services for one command, registered exactly as any host registers them
/// (<c>AddSecureUpdate</c>); commands resolve <see cref="UpdateClient"/>, <see cref="Publishing.ReleasePublisher"/>
/// and <see cref="System.IO.Abstractions.IFileSystem"/> from it and construct none themselves. The
/// passphrase of an encrypted key comes from <see cref="TerminalPassphraseProvider"/>, registered first
/// so that the library's default (the environment variable only) is not added. The library's warnings
/// about unsafely kept local files go to stderr (<see cref="WarningLoggerProvider"/>).
/// </summary>
internal static class CliServices
{
    public static ServiceProvider Create(Action<SecureUpdateOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TerminalPassphraseProvider>();
        services.AddSingleton<IKeyPassphraseProvider>(provider => provider.GetRequiredService<TerminalPassphraseProvider>());
        services.AddSingleton<ILoggerProvider>(new WarningLoggerProvider(Console.Error));
        return services.AddSecureUpdate(configure).BuildServiceProvider();
    }
}
