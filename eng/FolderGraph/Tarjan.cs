namespace FolderGraph;

/// <summary>
/// Tarjan's strongly connected components. Recursive: a source tree has tens of folders, not
/// thousands, so the stack depth is no concern.
/// </summary>
internal sealed class Tarjan
{
    private readonly DependencyGraph _graph;
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _lowLink = new(StringComparer.Ordinal);
    private readonly Stack<string> _stack = new();
    private readonly HashSet<string> _onStack = new(StringComparer.Ordinal);
    private readonly List<List<string>> _components = [];

    public Tarjan(DependencyGraph graph)
    {
        _graph = graph;
    }

    public IReadOnlyList<List<string>> Components()
    {
        foreach (var folder in _graph.Folders)
        {
            if (!_index.ContainsKey(folder))
            {
                Visit(folder);
            }
        }

        return _components;
    }

    private void Visit(string folder)
    {
        _index[folder] = _index.Count;
        _lowLink[folder] = _index[folder];
        _stack.Push(folder);
        _onStack.Add(folder);

        foreach (var dependency in _graph.DependenciesOf(folder))
        {
            if (!_index.TryGetValue(dependency, out var dependencyIndex))
            {
                Visit(dependency);
                _lowLink[folder] = Math.Min(_lowLink[folder], _lowLink[dependency]);
            }
            else if (_onStack.Contains(dependency))
            {
                _lowLink[folder] = Math.Min(_lowLink[folder], dependencyIndex);
            }
        }

        if (_lowLink[folder] == _index[folder])
        {
            var component = new List<string>();
            string member;
            do
            {
                member = _stack.Pop();
                _onStack.Remove(member);
                component.Add(member);
            }
            while (member != folder);

            _components.Add(component);
        }
    }
}
