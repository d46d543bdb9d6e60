namespace FolderGraph;

/// <summary>The parsed command line: <c>SOURCE_DIR [--references DIR]... [--markdown]</c>.</summary>
internal sealed class Arguments
{
    private Arguments(string sourceDirectory, IReadOnlyList<string> referenceDirectories, bool markdown)
    {
        SourceDirectory = sourceDirectory;
        ReferenceDirectories = referenceDirectories;
        Markdown = markdown;
    }

    public string SourceDirectory { get; }

    public IReadOnlyList<string> ReferenceDirectories { get; }

    public bool Markdown { get; }

    public static Arguments Parse(IReadOnlyList<string> args)
    {
        string? source = null;
        var references = new List<string>();
        var markdown = false;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--references":
                    if (i + 1 >= args.Count)
                    {
                        throw new UsageException("--references needs a folder");
                    }

                    references.Add(ExistingDirectory(args[++i], "--references folder"));
                    break;
                case "--markdown":
                    markdown = true;
                    break;
                case var option when option.StartsWith('-'):
                    throw new UsageException($"unknown option {option}");
                case var folder when source is null:
                    source = ExistingDirectory(folder, "source folder");
                    break;
                default:
                    throw new UsageException($"only one source folder is allowed, got a second: {args[i]}");
            }
        }

        if (source is null)
        {
            throw new UsageException("usage: FolderGraph SOURCE_DIR [--references DIR]... [--markdown]");
        }

        return new Arguments(source, references, markdown);
    }

    private static string ExistingDirectory(string path, string what)
    {
        if (!Directory.Exists(path))
        {
            throw new UsageException($"{what} not found: {path}");
        }

        return Path.GetFullPath(path);
    }
}
