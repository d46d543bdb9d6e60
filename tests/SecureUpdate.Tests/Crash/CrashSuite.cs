namespace SecureUpdate.Tests.Crash;

/// <summary>
/// The crash tests run one class at a time, sharing one <see cref="CrashWorkspace"/>: the random-instant kills time an
/// unkilled apply and kill within that time, which only means something when the other crash tests are not competing
/// for the same two cores.
/// </summary>
[CollectionDefinition(Name)]
public sealed class CrashSuite : ICollectionFixture<CrashWorkspace>
{
    public const string Name = "Crash";
}
