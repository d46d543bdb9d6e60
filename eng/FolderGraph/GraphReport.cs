namespace FolderGraph;

/// <summary>Writes the folder graph: the layers when acyclic, the cycles otherwise.</summary>
internal static class GraphReport
{
    private const string Nothing = "(none)";

    /// <summary>One line per folder, lowest layer first: <c>Folder -> Dep1, Dep2</c>.</summary>
    public static void WriteLayers(DependencyGraph graph, TextWriter output)
    {
        foreach (var folder in graph.TopologicalOrder())
        {
            output.WriteLine($"{folder} -> {Dependencies(graph, folder)}");
        }
    }

    /// <summary>
    /// The same as a Markdown table. The layer is the longest chain of dependencies below a
    /// folder, so folders on one layer never depend on each other.
    /// </summary>
    public static void WriteMarkdown(DependencyGraph graph, TextWriter output)
    {
        output.WriteLine("| layer | folder | depends on |");
        output.WriteLine("| --- | --- | --- |");
        var layers = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var folder in graph.TopologicalOrder())
        {
            var dependencies = graph.DependenciesOf(folder);
            layers[folder] = dependencies.Count == 0 ? 0 : dependencies.Max(dependency => layers[dependency]) + 1;
            var names = dependencies.Count == 0 ? Nothing : string.Join(", ", dependencies.Select(dependency => $"`{dependency}`"));
            output.WriteLine($"| {layers[folder]} | `{folder}` | {names} |");
        }
    }

    /// <summary>Each cycle's folders, then every edge between them with the reference that makes it.</summary>
    public static void WriteCycles(DependencyGraph graph, IReadOnlyList<IReadOnlyList<string>> cycles, TextWriter output)
    {
        foreach (var cycle in cycles)
        {
            output.WriteLine($"cycle: {string.Join(", ", cycle)}");
            foreach (var from in cycle)
            {
                foreach (var to in graph.DependenciesOf(from).Where(cycle.Contains))
                {
                    output.WriteLine($"  {from} -> {to}: {graph.ExampleOf(from, to)}");
                }
            }
        }
    }

    private static string Dependencies(DependencyGraph graph, string folder)
    {
        var dependencies = graph.DependenciesOf(folder);
        return dependencies.Count == 0 ? Nothing : string.Join(", ", dependencies);
    }
}
