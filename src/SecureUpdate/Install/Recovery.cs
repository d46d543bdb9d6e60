namespace SecureUpdate.Install;

/// <summary>What recovery did with an operation a dead process left in the journal.</summary>
/// <param name="Version">The version the event names.</param>
/// <param name="Outcome">A sentence: what was finished or undone.</param>
internal sealed record Recovery(string? Version, string Outcome);
