namespace SecureUpdate.Tests.Infrastructure;

/// <summary>
/// One SoftHSM2 store for the <see cref="SoftHsmProcess"/> collection, named by <c>SOFTHSM2_CONF</c> in this
/// process (in the C environment, where the module reads it) while the collection runs; restored after.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SoftHsmProcessFixture : IDisposable
{
    private readonly string? _previous = Environment.GetEnvironmentVariable("SOFTHSM2_CONF");

    public SoftHsmProcessFixture()
    {
        NativeEnvironment.Set("SOFTHSM2_CONF", Tokens.ConfigFile);
    }

    /// <summary>The store; every test makes its own tokens in it.</summary>
    public SoftHsmTokens Tokens { get; } = new();

    public void Dispose()
    {
        NativeEnvironment.Set("SOFTHSM2_CONF", _previous);
        Tokens.Dispose();
    }
}
