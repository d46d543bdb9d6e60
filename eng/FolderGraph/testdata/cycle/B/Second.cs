namespace Fixture.B;

// B -> A: Second uses First, which closes the cycle.
public sealed class Second
{
    public static string Describe(Fixture.A.First first) => first.ToString() ?? string.Empty;
}
