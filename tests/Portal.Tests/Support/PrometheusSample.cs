using System.Globalization;
using System.Text.RegularExpressions;

namespace Portal.Tests.Support;

/// <summary>One sample of Prometheus' text format (<c>name{label="value",…} 12</c>), and the parser the tests read a scrape with.</summary>
internal sealed partial record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    /// <summary>Every sample of a scrape; <paramref name="types"/> gets each family's <c># TYPE</c>. Throws on a line it cannot read.</summary>
    public static List<PrometheusSample> Parse(string text, out Dictionary<string, string> types)
    {
        types = new Dictionary<string, string>(StringComparer.Ordinal);
        var samples = new List<PrometheusSample>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0)
            {
                continue;
            }
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                types[parts[2]] = parts[3];
                continue;
            }
            if (line.StartsWith('#'))
            {
                continue;
            }
            var match = SampleLine().Match(line);
            if (!match.Success)
            {
                throw new FormatException($"not a Prometheus sample line: {line}");
            }
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (Match label in Label().Matches(match.Groups["labels"].Value))
            {
                labels[label.Groups["key"].Value] = label.Groups["value"].Value;
            }
            var value = match.Groups["value"].Value switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                var v => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture),
            };
            samples.Add(new PrometheusSample(match.Groups["name"].Value, labels, value));
        }
        return samples;
    }

    /// <summary>The value of the sample named <paramref name="name"/> whose labels include <paramref name="labels"/>; 0 when absent.</summary>
    public static double Find(IEnumerable<PrometheusSample> samples, string name, params (string Key, string Value)[] labels) =>
        samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value)).Sum(s => s.Value);

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)( \d+)?$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex("""(?<key>[a-zA-Z_][a-zA-Z0-9_]*)="(?<value>(?:[^"\\]|\\.)*)",?""")]
    private static partial Regex Label();
}
