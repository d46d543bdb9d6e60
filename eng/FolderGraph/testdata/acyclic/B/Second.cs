namespace Fixture.B;

// B references nothing in A.
public sealed class Second
{
    public static string Describe(object value) => value.ToString() ?? string.Empty;
}
