using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Portal.Configuration;

/// <summary>
/// A configuration document as a plain tree that remembers where each value came from (file line or environment
/// variable). Files are merged into one tree and environment overrides are applied to it before binding, so every
/// source goes through the same type checks and error messages.
/// </summary>
internal abstract class ConfigNode
{
    public int? Line { get; init; }
    /// <summary>Set for values that came from the environment: errors name the variable instead of a line.</summary>
    public string? Origin { get; init; }

    public static ConfigNode? FromYaml(string text, string sourceName, ConfigDiagnostics diag)
    {
        var stream = new YamlStream();
        try
        {
            using var reader = new StringReader(text);
            stream.Load(reader);
        }
        catch (YamlException e)
        {
            diag.Error("", $"{sourceName}: invalid YAML at line {e.Start.Line}, column {e.Start.Column}: {Innermost(e).Message}");
            return null;
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet reports some malformed documents (an unclosed flow sequence) this way, without a position.
            diag.Error("", $"{sourceName}: invalid YAML: {e.Message}");
            return null;
        }
        if (stream.Documents.Count == 0)
        {
            return new ConfigMapping();
        }
        if (stream.Documents.Count > 1)
        {
            diag.Error("", $"{sourceName}: expected one YAML document, found {stream.Documents.Count}");
        }
        return Convert(stream.Documents[0].RootNode);
    }

    private static Exception Innermost(Exception e) => e.InnerException is { } inner ? Innermost(inner) : e;

    private static ConfigNode Convert(YamlNode node)
    {
        var line = (int)node.Start.Line;
        switch (node)
        {
            case YamlMappingNode map:
                var mapping = new ConfigMapping { Line = line };
                foreach (var (key, value) in map.Children)
                {
                    var name = key is YamlScalarNode k ? k.Value ?? "" : key.ToString();
                    mapping.Set(name, Convert(value), (int)key.Start.Line);
                }
                return mapping;
            case YamlSequenceNode seq:
                var sequence = new ConfigSequence { Line = line };
                sequence.Items.AddRange(seq.Children.Select(Convert));
                return sequence;
            case YamlScalarNode scalar:
                // Plain `key:`, `~` and `null` mean "not set"; a quoted '' is an explicit empty string.
                var isNull = scalar.Style == ScalarStyle.Plain && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";
                return new ConfigScalar(isNull ? null : scalar.Value ?? "") { Line = line };
            default:
                // Aliases are resolved by YamlStream; anything else is treated as an empty value.
                return new ConfigScalar(null) { Line = line };
        }
    }

    /// <summary>Later documents override earlier ones key by key; sequences and scalars are replaced whole.</summary>
    public static ConfigNode Merge(ConfigNode baseNode, ConfigNode overlay)
    {
        if (baseNode is ConfigMapping a && overlay is ConfigMapping b)
        {
            var merged = new ConfigMapping { Line = b.Line ?? a.Line };
            foreach (var (key, entry) in a.Entries)
            {
                merged.Set(key, entry.Value, entry.KeyLine);
            }
            foreach (var (key, entry) in b.Entries)
            {
                var value = merged.Entries.TryGetValue(key, out var existing) ? Merge(existing.Value, entry.Value) : entry.Value;
                merged.Set(key, value, entry.KeyLine);
            }
            return merged;
        }
        return overlay;
    }

    public abstract string Kind { get; }
}
