namespace SecureUpdate.Tests.Infrastructure;

/// <summary>A role of a forged trust root: <paramref name="Threshold"/> of <paramref name="Keys"/>.</summary>
public sealed record ForgedRole(int Threshold, params ForgedKey[] Keys);
