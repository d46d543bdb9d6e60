using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace FolderGraph;

/// <summary>Derives the folder graph from the type references in the source files.</summary>
internal sealed class ReferenceCollector
{
    // `Type.Member`, without namespaces or signatures: enough to find the line's reference.
    private static readonly SymbolDisplayFormat s_symbolFormat = new(
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameOnly,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
        memberOptions: SymbolDisplayMemberOptions.IncludeContainingType);

    private readonly Compilation _compilation;
    private readonly IReadOnlyList<SourceFile> _files;
    private readonly Dictionary<SyntaxTree, SourceFile> _fileByTree;

    public ReferenceCollector(Compilation compilation, IReadOnlyList<SourceFile> files)
    {
        _compilation = compilation;
        _files = files;
        _fileByTree = files.ToDictionary(file => file.Tree);
    }

    /// <summary>Types whose partial declarations sit in more than one folder, by name.</summary>
    public IReadOnlyList<SplitType> FindSplitTypes()
    {
        var split = new List<SplitType>();
        foreach (var symbol in _compilation.GetSymbolsWithName(_ => true, SymbolFilter.Type).OfType<INamedTypeSymbol>())
        {
            var declaringFiles = symbol.DeclaringSyntaxReferences
                .Select(reference => _fileByTree.GetValueOrDefault(reference.SyntaxTree))
                .OfType<SourceFile>()
                .ToList();
            if (declaringFiles.Select(file => file.Folder).Distinct().Count() > 1)
            {
                var paths = declaringFiles.Select(file => file.RelativePath).Distinct().Order(StringComparer.Ordinal).ToList();
                split.Add(new SplitType(symbol.ToDisplayString(), paths));
            }
        }

        return [.. split.OrderBy(type => type.Name, StringComparer.Ordinal)];
    }

    public DependencyGraph Collect()
    {
        var graph = new DependencyGraph();
        foreach (var file in _files)
        {
            graph.AddNode(file.Folder);
            var model = _compilation.GetSemanticModel(file.Tree);
            // DescendantNodes does not enter trivia, so <see cref="..."/> in doc comments is not a
            // reference: documentation may point anywhere without making a layer depend on it.
            foreach (var node in file.Tree.GetRoot().DescendantNodes().Where(IsReference))
            {
                var info = model.GetSymbolInfo(node);
                // An overload that does not bind (often: an argument whose type came from a source
                // generator) still names the right type through its first candidate.
                var symbol = info.Symbol ?? info.CandidateSymbols.FirstOrDefault();
                if (symbol is null)
                {
                    continue;
                }

                foreach (var type in ReferencedTypes.Of(symbol))
                {
                    var target = FolderOf(type);
                    if (target is not null && target != file.Folder)
                    {
                        var line = node.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
                        graph.AddEdge(file.Folder, target, new EdgeExample($"{file.RelativePath}:{line}", Display(symbol, type)));
                    }
                }
            }
        }

        return graph;
    }

    // `var` is left out: an implicit type is not written in the file, and whatever the code does
    // with the value names that type's members, which are references of their own.
    private static bool IsReference(SyntaxNode node) => node switch
    {
        IdentifierNameSyntax identifier => !identifier.IsVar,
        NameSyntax or MemberAccessExpressionSyntax or BaseObjectCreationExpressionSyntax or AttributeSyntax => true,
        _ => false,
    };

    // The member when the edge is its declaring type, else the type itself: for Task<ChannelPointer>
    // the edge is to ChannelPointer's folder, and that is the name to look for on the line.
    private static string Display(ISymbol symbol, INamedTypeSymbol type) => symbol switch
    {
        IMethodSymbol { MethodKind: MethodKind.Constructor } constructor when Declares(type, constructor) => $"new {type.ToDisplayString(s_symbolFormat)}",
        IMethodSymbol { ReducedFrom: { } extension } when Declares(type, extension) => extension.ToDisplayString(s_symbolFormat),
        IMethodSymbol or IFieldSymbol or IPropertySymbol or IEventSymbol when Declares(type, symbol) => symbol.ToDisplayString(s_symbolFormat),
        _ => type.ToDisplayString(s_symbolFormat),
    };

    private static bool Declares(INamedTypeSymbol type, ISymbol member) =>
        SymbolEqualityComparer.Default.Equals(member.ContainingType?.OriginalDefinition, type);

    // Null for a type not declared in the source files (the runtime's, a package's).
    private string? FolderOf(INamedTypeSymbol type)
    {
        var declaration = type.DeclaringSyntaxReferences.FirstOrDefault();
        return declaration is not null && _fileByTree.TryGetValue(declaration.SyntaxTree, out var file) ? file.Folder : null;
    }
}
