namespace SecureUpdate.Tests.Agent;

/// <summary>
/// The fleet test runs in this collection: xunit runs it on its own, after the parallel collections,
/// so that 200 agents measure their own request spread rather than the rest of the suite's load.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FleetOfAgents
{
    public const string Name = "Fleet of agents";
}
