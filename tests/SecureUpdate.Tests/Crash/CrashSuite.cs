namespace SecureUpdate.Tests.Crash;

/// <summary>
/// The crash tests run one class at a time: the random-instant kills time an unkilled apply and kill within that time,
/// which only means something when the other crash tests are not competing for the same two cores.
/// </summary>
[CollectionDefinition(Name)]
public sealed class CrashSuite
{
    public const string Name = "Crash";
}
