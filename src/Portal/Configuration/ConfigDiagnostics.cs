namespace Portal.Configuration;

/// <summary>
/// Every configuration error and warning, collected rather than thrown so that an admin sees all of them at once.
/// Paths are dotted with indexes (<c>session.cookies[0]</c>) and printed Authelia-style
/// (<c>session: cookies[0]: option 'authelia_url' must be an absolute URL (line 12)</c>).
/// </summary>
internal sealed class ConfigDiagnostics
{
    private readonly List<ConfigDiagnostic> _items = [];
    private readonly Dictionary<string, string> _origins = new(StringComparer.Ordinal);

    /// <summary>Remembers where the value at <paramref name="path"/> came from ("line 12", "environment variable X").</summary>
    public void SetOrigin(string path, string origin) => _origins[path] = origin;

    public IReadOnlyList<ConfigDiagnostic> Items => _items;
    public IEnumerable<ConfigDiagnostic> Errors => _items.Where(d => d.Severity == ConfigSeverity.Error);
    public IEnumerable<ConfigDiagnostic> Warnings => _items.Where(d => d.Severity == ConfigSeverity.Warning);
    public bool HasErrors => _items.Exists(d => d.Severity == ConfigSeverity.Error);

    /// <summary>An error about option <paramref name="key"/> of the section at <paramref name="path"/>.</summary>
    public void Error(string path, string key, string message) =>
        Add(ConfigSeverity.Error, Join(path, key), $"option '{key}' {message}");

    /// <summary>An error about the node at <paramref name="path"/> itself, with a free-form message.</summary>
    public void Error(string path, string message) => Add(ConfigSeverity.Error, path, message);

    public void Warning(string path, string key, string message) =>
        Add(ConfigSeverity.Warning, Join(path, key), $"option '{key}' {message}");

    public void Warning(string path, string message) => Add(ConfigSeverity.Warning, path, message);

    public static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    private void Add(ConfigSeverity severity, string path, string message) =>
        _items.Add(new ConfigDiagnostic(severity, path, message, OriginOf(path)));

    /// <summary>Where the most specific node we know for this path came from (the key, else its parents).</summary>
    private string? OriginOf(string path)
    {
        for (var p = path; p.Length > 0; p = Parent(p))
        {
            if (_origins.TryGetValue(p, out var origin))
            {
                return origin;
            }
        }
        return null;
    }

    private static string Parent(string path)
    {
        var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return cut <= 0 ? "" : path[..cut];
    }
}
