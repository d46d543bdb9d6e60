namespace FolderGraph;

/// <summary>Folders and the one-way "references a type in" edges between them, each with an example.</summary>
internal sealed class DependencyGraph
{
    private readonly SortedDictionary<string, SortedDictionary<string, EdgeExample>> _edges = new(StringComparer.Ordinal);

    public IEnumerable<string> Folders => _edges.Keys;

    public void AddNode(string folder)
    {
        if (!_edges.ContainsKey(folder))
        {
            _edges.Add(folder, new SortedDictionary<string, EdgeExample>(StringComparer.Ordinal));
        }
    }

    /// <summary>Adds <paramref name="from"/> → <paramref name="to"/>; the first example for an edge is kept.</summary>
    public void AddEdge(string from, string to, EdgeExample example)
    {
        AddNode(from);
        AddNode(to);
        _edges[from].TryAdd(to, example);
    }

    /// <summary>The folders <paramref name="folder"/> references, by name.</summary>
    public IReadOnlyCollection<string> DependenciesOf(string folder) => _edges[folder].Keys;

    public EdgeExample ExampleOf(string from, string to) => _edges[from][to];

    /// <summary>
    /// The strongly connected components of more than one folder (a folder never has an edge to
    /// itself), each sorted by name, the components by their first name.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles()
    {
        var tarjan = new Tarjan(this);
        return [.. tarjan.Components()
            .Where(component => component.Count > 1)
            .Select(component => (IReadOnlyList<string>)[.. component.Order(StringComparer.Ordinal)])
            .OrderBy(component => component[0], StringComparer.Ordinal)];
    }

    /// <summary>
    /// Every folder after the folders it references, lowest layer first; among the folders whose
    /// dependencies are all placed, the first by name goes next. Only meaningful without cycles.
    /// </summary>
    public IReadOnlyList<string> TopologicalOrder()
    {
        var order = new List<string>();
        var placed = new HashSet<string>(StringComparer.Ordinal);
        while (order.Count < _edges.Count)
        {
            var next = _edges.Keys.FirstOrDefault(folder => !placed.Contains(folder) && _edges[folder].Keys.All(placed.Contains))
                ?? throw new InvalidOperationException("the folder graph has a cycle");
            order.Add(next);
            placed.Add(next);
        }

        return order;
    }
}
