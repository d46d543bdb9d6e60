using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace FolderGraph;

/// <summary>
/// A compilation of the source files, good enough for name binding. It is never emitted, so its
/// errors (source generators do not run, so their partial members are missing) do not matter:
/// the generated members are not what the folders reference each other through.
/// </summary>
internal static class CompilationBuilder
{
    // The name of the library's own assembly: a copy of it in a --references folder (the CLI's
    // build output holds one) would declare every type a second time, as metadata.
    public const string AssemblyName = "SecureUpdate";

    // The SDK's implicit global usings (ImplicitUsings is on in Directory.Build.props). They are
    // generated into obj/, which is not read; without them System.Linq and the like do not bind,
    // lambdas lose their parameter types and references inside them would go unseen.
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    public static CSharpCompilation Build(IEnumerable<SourceFile> files, IEnumerable<string> referenceDirectories)
    {
        var implicitUsings = CSharpSyntaxTree.ParseText(
            ImplicitUsings, new CSharpParseOptions(LanguageVersion.Latest), "ImplicitUsings.g.cs");
        var trees = files.Select(file => file.Tree).Append(implicitUsings);
        var options = new CSharpCompilationOptions(
            OutputKind.DynamicallyLinkedLibrary,
            nullableContextOptions: NullableContextOptions.Enable,
            allowUnsafe: true);
        return CSharpCompilation.Create(AssemblyName, trees, References(referenceDirectories), options);
    }

    private static List<MetadataReference> References(IEnumerable<string> referenceDirectories)
    {
        var platform = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        var extra = referenceDirectories
            .SelectMany(directory => Directory.EnumerateFiles(directory, "*.dll").Order(StringComparer.Ordinal));

        // One reference per assembly name, the runtime's first: a build output folder can hold a
        // copy of a framework assembly, and two of the same name make its types ambiguous.
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { AssemblyName };
        var references = new List<MetadataReference>();
        foreach (var path in platform.Concat(extra))
        {
            var name = AssemblyNameOf(path);
            if (name is not null && seen.Add(name))
            {
                references.Add(MetadataReference.CreateFromFile(path));
            }
        }

        return references;
    }

    // Null for anything that is not a .NET assembly (a native library, a damaged file).
    private static string? AssemblyNameOf(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var pe = new PEReader(stream);
            if (!pe.HasMetadata)
            {
                return null;
            }

            var reader = pe.GetMetadataReader();
            return reader.IsAssembly ? reader.GetString(reader.GetAssemblyDefinition().Name) : null;
        }
        catch (BadImageFormatException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
