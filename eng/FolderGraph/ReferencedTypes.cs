using Microsoft.CodeAnalysis;

namespace FolderGraph;

/// <summary>Maps a bound symbol to the types that using it depends on.</summary>
internal static class ReferencedTypes
{
    /// <summary>
    /// The declaring type of a member, the type itself for a type (and the types in its type
    /// arguments, element type and the like), nothing for locals, parameters and namespaces:
    /// their types are named somewhere else in the code, and that name is the reference.
    /// </summary>
    public static IEnumerable<INamedTypeSymbol> Of(ISymbol symbol)
    {
        switch (symbol)
        {
            case IAliasSymbol alias:
                return Of(alias.Target);
            case ITypeSymbol type:
                return OfType(type);
            case IMethodSymbol { ReducedFrom: { } extension }:
                // `value.Extension()` binds to a reduced copy of the method; the dependency is on the
                // static class that declares the extension, not on the receiver's type.
                return OfContainingType(extension);
            case IMethodSymbol or IFieldSymbol or IPropertySymbol or IEventSymbol:
                return OfContainingType(symbol);
            default:
                return [];
        }
    }

    // The definition only: in `items.Count` on a List<Foo>, Foo is not named on that line (it is
    // where `items` was declared), just as the type of a `var` is not.
    private static IEnumerable<INamedTypeSymbol> OfContainingType(ISymbol member) =>
        member.ContainingType is { } containing ? DefinitionAndOuterTypes(containing.OriginalDefinition) : [];

    private static IEnumerable<INamedTypeSymbol> DefinitionAndOuterTypes(INamedTypeSymbol type)
    {
        for (var current = type; current is not null; current = current.ContainingType)
        {
            yield return current;
        }
    }

    private static IEnumerable<INamedTypeSymbol> OfType(ITypeSymbol type)
    {
        switch (type)
        {
            case IArrayTypeSymbol array:
                return OfType(array.ElementType);
            case IPointerTypeSymbol pointer:
                return OfType(pointer.PointedAtType);
            case INamedTypeSymbol named:
                // Nullable<T> is covered here too: the definition is the runtime's, T is the argument.
                // The original definition, so that List<Foo> and List<Bar> are one type (List<T>).
                // The containing type too, for Outer<Foo>.Inner: its arguments belong to the outer type.
                var types = named.TypeArguments.SelectMany(OfType).Prepend(named.OriginalDefinition);
                return named.ContainingType is { } outer ? types.Concat(OfType(outer)) : types;
            default:
                // Type parameters, dynamic, function pointers: nothing declared in a folder.
                return [];
        }
    }
}
