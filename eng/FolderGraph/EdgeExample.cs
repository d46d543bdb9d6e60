namespace FolderGraph;

/// <summary>
/// The first reference found for an edge (files in path order, each top to bottom), so that a
/// reported cycle names a line to look at and the same source always names the same line.
/// </summary>
/// <param name="Location"><c>file:line</c>, the file relative to the source folder.</param>
/// <param name="Symbol">The referenced type or member.</param>
internal sealed record EdgeExample(string Location, string Symbol)
{
    public override string ToString() => $"{Location} {Symbol}";
}
