namespace FolderGraph;

/// <summary>A type whose partial declarations sit in more than one folder, so it has no single node.</summary>
/// <param name="Name">The type's full name.</param>
/// <param name="Files">Every file that declares part of it, relative to the source folder.</param>
internal sealed record SplitType(string Name, IReadOnlyList<string> Files);
