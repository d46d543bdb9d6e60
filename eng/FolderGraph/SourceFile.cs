using Microsoft.CodeAnalysis;

namespace FolderGraph;

/// <summary>One parsed file, with its path and folder (the graph node) relative to the source folder.</summary>
/// <param name="RelativePath">The file's path below the source folder, with <c>/</c> separators.</param>
/// <param name="Folder">The file's folder below the source folder, or <see cref="RootFolder"/>.</param>
/// <param name="Tree">The parsed file.</param>
internal sealed record SourceFile(string RelativePath, string Folder, SyntaxTree Tree)
{
    public const string RootFolder = "(root)";
}
