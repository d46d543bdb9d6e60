namespace FolderGraph;

/// <summary>
/// Fails on a cycle between the folders of a source tree, judged by the types each folder's code
/// references. Exit codes: 0 acyclic, 1 a cycle (or a type split across folders), 2 bad arguments.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        Arguments arguments;
        IReadOnlyList<SourceFile> files;
        try
        {
            arguments = Arguments.Parse(args);
            files = SourceLoader.Load(arguments.SourceDirectory);
            if (files.Count == 0)
            {
                throw new UsageException($"no *.cs files in {arguments.SourceDirectory}");
            }
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"folder graph: {e.Message}");
            return 2;
        }

        var compilation = CompilationBuilder.Build(files, arguments.ReferenceDirectories);
        var collector = new ReferenceCollector(compilation, files);

        // A type in two folders would belong to both nodes at once; the folder layout has to be fixed first.
        var splitTypes = collector.FindSplitTypes();
        foreach (var type in splitTypes)
        {
            Console.Error.WriteLine($"folder graph: {type.Name} is declared in more than one folder: {string.Join(", ", type.Files)}");
        }

        if (splitTypes.Count > 0)
        {
            return 1;
        }

        var graph = collector.Collect();
        var cycles = graph.Cycles();
        if (cycles.Count > 0)
        {
            GraphReport.WriteCycles(graph, cycles, Console.Out);
            Console.Error.WriteLine($"folder graph: {cycles.Count} cycle(s) between folders");
            return 1;
        }

        if (arguments.Markdown)
        {
            GraphReport.WriteMarkdown(graph, Console.Out);
        }
        else
        {
            GraphReport.WriteLayers(graph, Console.Out);
        }

        return 0;
    }
}
