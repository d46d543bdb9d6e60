namespace Fixture.A;

// A -> B: First uses Second.
public sealed class First
{
    public Fixture.B.Second Partner { get; } = new();
}
