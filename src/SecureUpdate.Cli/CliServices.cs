using Microsoft.Extensions.DependencyInjection;
using SecureUpdate.Configuration;

namespace SecureUpdate.Cli;

/// <summary>
/// The library's services for one command, registered exactly as any host registers them
/// (<c>AddSecureUpdate</c>); commands resolve <see cref="UpdateClient"/>, <see cref="Publishing.ReleasePublisher"/>
/// and <see cref="System.IO.Abstractions.IFileSystem"/> from it and construct none themselves.
/// </summary>
internal static class CliServices
{
    public static ServiceProvider Create(Action<SecureUpdateOptions>? configure = null) =>
        new ServiceCollection().AddSecureUpdate(configure).BuildServiceProvider();
}
