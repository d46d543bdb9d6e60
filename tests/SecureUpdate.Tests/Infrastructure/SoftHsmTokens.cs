namespace SecureUpdate.Tests.Infrastructure;

/// <summary>
/// A SoftHSM2 token store of one test in a temp folder: its own <c>softhsm2.conf</c>, tokens made on
/// demand, all deleted with it. Child processes reach it through <see cref="Environment"/>
/// (<c>SOFTHSM2_CONF</c> set on the child only).
/// </summary>
public sealed class SoftHsmTokens : IDisposable
{
    private readonly TempFolder _folder = new();

    public SoftHsmTokens()
    {
        ConfigFile = _folder.Combine("softhsm2.conf");
        SoftHsm.WriteConfig(ConfigFile, _folder.Combine("tokens"));
    }

    /// <summary>The configuration file that names this store.</summary>
    public string ConfigFile { get; }

    /// <summary>The variables a child process needs to see this store.</summary>
    public IReadOnlyDictionary<string, string?> Environment => new Dictionary<string, string?> { ["SOFTHSM2_CONF"] = ConfigFile };

    /// <summary>Makes a token with a fresh label and the user PIN <paramref name="userPin"/>; returns its label.</summary>
    public string CreateToken(string userPin)
    {
        var label = "t-" + Guid.NewGuid().ToString("N")[..12];
        SoftHsm.InitToken(ConfigFile, label, userPin);
        return label;
    }

    public void Dispose() => _folder.Dispose();
}
