using System.IO.Abstractions;
using System.Runtime.Versioning;
using Microsoft.Extensions.DependencyInjection;
using SecureUpdate.Publishing;
using SecureUpdate.Trust;

namespace SecureUpdate.Tests.Infrastructure;

/// <summary>
/// A release key, an input folder, a local feed and a target, all in one temporary folder on the
/// real disk, with an <see cref="UpdateClient"/> and a <see cref="ReleasePublisher"/> from DI.
/// </summary>
[UnsupportedOSPlatform("windows")]
internal sealed class ReleaseWorkspace : IDisposable
{
    public const string App = "demo";

    private readonly TempFolder _root = new();
    private readonly ServiceProvider _services;

    public ReleaseWorkspace(TimeProvider? timeProvider = null)
    {
        var services = new ServiceCollection();
        if (timeProvider is not null)
        {
            services.AddSingleton(timeProvider);
        }

        _services = services.AddSecureUpdate().BuildServiceProvider();
        Keys = _root.Combine("keys");
        Feed = _root.Combine("feed");
        Input = _root.Combine("input");
        Target = _root.Combine("target");
        _services.GetRequiredService<KeyGenerator>().Generate(Keys, "release");
        KeyFile = Path.Combine(Keys, "release.key");
        Trust = TrustRoot.Load(_services.GetRequiredService<IFileSystem>(), Path.Combine(Keys, "release.pub"));
        Directory.CreateDirectory(Input);
    }

    public string Root => _root.Path;

    public string Keys { get; }

    public string KeyFile { get; }

    public string Feed { get; }

    public string Input { get; }

    public string Target { get; }

    /// <summary><see cref="Target"/> as the library names it.</summary>
    public SecureUpdate.Target Folder => SecureUpdate.Target.Folder(Target);

    public TrustRoot Trust { get; }

    public UpdateClient Client => _services.GetRequiredService<UpdateClient>();

    public ReleasePublisher Publisher => _services.GetRequiredService<ReleasePublisher>();

    public TrustPublisher TrustPublisher => _services.GetRequiredService<TrustPublisher>();

    public Cosigner Cosigner => _services.GetRequiredService<Cosigner>();

    /// <summary>Writes an input file (creating folders), 0755 when executable, otherwise 0644.</summary>
    public void WriteInput(string relative, string contents, bool executable = false)
    {
        string path = Path.Combine(Input, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, contents);
        File.SetUnixFileMode(path, executable ? ReleaseInputs.ExecutableMode : ReleaseInputs.RegularMode);
    }

    public Task<ReleaseResult> PublishAsync(string version, string channel = "stable", string? feed = null, TimeSpan? expiresIn = null, IReadOnlyList<string>? keyFiles = null) =>
        Publisher.PublishAsync(new ReleaseRequest
        {
            Feed = feed ?? Feed,
            App = App,
            Channel = channel,
            Version = version,
            Input = Input,
            KeyFiles = keyFiles ?? [KeyFile],
            ExpiresIn = expiresIn ?? TimeSpan.FromDays(30),
        });

    public Task<ApplyResult> ApplyAsync(TrustRoot? trust = null, string? feed = null, string? channel = null, string? app = App) =>
        Client.ApplyAsync(new ApplyRequest { Feed = feed ?? Feed, Trust = trust ?? Trust, Target = Folder, App = app, Channel = channel });

    /// <summary>A file inside an installed version folder.</summary>
    public string Installed(string version, string relative) => Path.Combine(Target, "versions", version, relative);

    /// <summary>Generates another key in <see cref="Keys"/>; returns the paths of its .key and .pub files.</summary>
    public (string KeyFile, string PublicKeyFile) GenerateKey(string name)
    {
        _services.GetRequiredService<KeyGenerator>().Generate(Keys, name);
        return (Path.Combine(Keys, name + ".key"), Path.Combine(Keys, name + ".pub"));
    }

    public void Dispose()
    {
        _services.Dispose();
        _root.Dispose();
    }
}
