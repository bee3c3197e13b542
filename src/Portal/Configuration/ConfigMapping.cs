using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Portal.Configuration;

internal sealed class ConfigMapping : ConfigNode
{
    // Insertion-ordered so errors come out in file order.
    private readonly List<string> _order = [];
    private readonly Dictionary<string, ConfigEntry> _entries = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, ConfigEntry> Entries => _entries;
    public IEnumerable<KeyValuePair<string, ConfigEntry>> Ordered => _order.Select(k => new KeyValuePair<string, ConfigEntry>(k, _entries[k]));

    public void Set(string key, ConfigNode value, int? keyLine)
    {
        if (!_entries.ContainsKey(key))
        {
            _order.Add(key);
        }
        _entries[key] = new ConfigEntry(value, keyLine);
    }

    public override string Kind => "a mapping";
}
