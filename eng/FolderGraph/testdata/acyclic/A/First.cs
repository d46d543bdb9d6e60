namespace Fixture.A;

// A -> B, and nothing back: A is the higher layer.
public sealed class First
{
    public Fixture.B.Second Partner { get; } = new();
}
