using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace FolderGraph;

/// <summary>Parses every <c>*.cs</c> below a folder, except build output.</summary>
internal static class SourceLoader
{
    // Same language version as the projects (LangVersion latest in Directory.Build.props).
    private static readonly CSharpParseOptions s_parseOptions = new(LanguageVersion.Latest);

    public static IReadOnlyList<SourceFile> Load(string sourceDirectory)
    {
        var files = new List<SourceFile>();
        // Sorted, so that the first reference found for an edge (its example) is the same on every machine.
        var paths = Directory.EnumerateFiles(sourceDirectory, "*.cs", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(sourceDirectory, path).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(relative => !IsBuildOutput(relative))
            .Order(StringComparer.Ordinal);
        foreach (var relative in paths)
        {
            var fullPath = Path.Combine(sourceDirectory, relative);
            var text = File.ReadAllText(fullPath);
            var tree = CSharpSyntaxTree.ParseText(text, s_parseOptions, fullPath);
            var folder = Path.GetDirectoryName(relative)?.Replace(Path.DirectorySeparatorChar, '/');
            files.Add(new SourceFile(relative, string.IsNullOrEmpty(folder) ? SourceFile.RootFolder : folder, tree));
        }

        return files;
    }

    // bin/ and obj/ at any depth: generated files there (global usings, source generator output)
    // belong to no folder of the source.
    private static bool IsBuildOutput(string relativePath)
    {
        var segments = relativePath.Split('/');
        return segments[..^1].Any(segment => segment is "bin" or "obj");
    }
}
