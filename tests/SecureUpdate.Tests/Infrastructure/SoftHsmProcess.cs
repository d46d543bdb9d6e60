namespace SecureUpdate.Tests.Infrastructure;

/// <summary>
/// The in-process PKCS#11 tests: SoftHSM2 reads <c>SOFTHSM2_CONF</c> from the process when the module is
/// initialised, so these tests share one store (<see cref="SoftHsmProcessFixture"/>) and run one at a
/// time, after the parallel collections: no other test sees the variable change, and every test
/// makes its tokens before it loads the module.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SoftHsmProcess : ICollectionFixture<SoftHsmProcessFixture>
{
    public const string Name = "SoftHSM2 in this process";
}
