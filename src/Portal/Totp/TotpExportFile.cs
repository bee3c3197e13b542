using System.Globalization;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Portal.Totp;

/// <summary>
/// The file <c>authelia storage user totp export</c> writes and <c>import</c> reads (Authelia's
/// <c>exports.totp</c> schema): YAML with a <c>totp_configurations</c> list of <c>created_at</c>, <c>last_used_at</c>,
/// <c>username</c>, <c>issuer</c>, <c>algorithm</c>, <c>digits</c>, <c>period</c> and the base32 <c>secret</c>.
/// </summary>
internal static class TotpExportFile
{
    private static readonly HashSet<string> Keys = new(StringComparer.Ordinal)
    {
        "created_at", "last_used_at", "username", "issuer", "algorithm", "digits", "period", "secret",
    };

    /// <summary>Every entry, or every problem found (each with its entry's index); nothing half read.</summary>
    public static (IReadOnlyList<TotpConfiguration> Entries, IReadOnlyList<string> Errors) Read(string yaml, DateTimeOffset now)
    {
        var entries = new List<TotpConfiguration>();
        var errors = new List<string>();
        YamlStream stream = [];
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            return ([], [$"not YAML: {e.Message}"]);
        }
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root
            || !root.Children.TryGetValue(new YamlScalarNode("totp_configurations"), out var listNode) || listNode is not YamlSequenceNode list)
        {
            return ([], ["expected a mapping with a 'totp_configurations' list"]);
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < list.Children.Count; i++)
        {
            var at = $"totp_configurations[{i}]";
            if (list.Children[i] is not YamlMappingNode entry)
            {
                errors.Add($"{at}: expected a mapping");
                continue;
            }
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (keyNode, valueNode) in entry.Children)
            {
                var key = (keyNode as YamlScalarNode)?.Value ?? "";
                if (!Keys.Contains(key))
                {
                    errors.Add($"{at}: unknown key '{key}'");
                }
                else if (valueNode is YamlScalarNode { Value: { } value })
                {
                    values[key] = value;
                }
                else
                {
                    errors.Add($"{at}.{key}: expected a value");
                }
            }
            var username = values.GetValueOrDefault("username", "").Trim();
            if (username.Length == 0)
            {
                errors.Add($"{at}.username: is required");
            }
            else if (!seen.Add(username.ToLowerInvariant()))
            {
                errors.Add($"{at}.username: '{username}' appears more than once");
            }
            var algorithm = TotpAlgorithms.Normalize(values.GetValueOrDefault("algorithm", "SHA1"));
            if (algorithm is null)
            {
                errors.Add($"{at}.algorithm: must be SHA1, SHA256 or SHA512");
            }
            var digits = Integer(values, "digits", 6);
            if (digits is null || !TotpAlgorithms.IsValidDigits(digits.Value))
            {
                errors.Add($"{at}.digits: must be 6 or 8");
            }
            var period = Integer(values, "period", 30);
            if (period is not (>= 1 and <= 3600))
            {
                errors.Add($"{at}.period: must be a number of seconds from 1 to 3600");
            }
            var secret = TotpCodes.FromBase32(values.GetValueOrDefault("secret"));
            if (secret is null)
            {
                errors.Add($"{at}.secret: must be base32 text");
            }
            var created = Time(values, "created_at", errors, at) ?? now;
            var lastUsed = Time(values, "last_used_at", errors, at);
            if (errors.Count == 0)
            {
                entries.Add(new TotpConfiguration(0, username, values.GetValueOrDefault("issuer", ""), algorithm!, digits!.Value, period!.Value, secret!,
                    created, lastUsed));
            }
        }
        return errors.Count == 0 ? (entries, []) : ([], errors);
    }

    /// <summary>The configurations in the same shape (single-quoted strings, RFC 3339 times), for Authelia or another portal.</summary>
    public static string Write(IEnumerable<TotpConfiguration> configurations)
    {
        var text = new StringBuilder("---\ntotp_configurations:\n");
        foreach (var c in configurations)
        {
            text.Append(CultureInfo.InvariantCulture, $"  - created_at: {Rfc3339(c.CreatedAt)}\n");
            if (c.LastUsedAt is { } lastUsed)
            {
                text.Append(CultureInfo.InvariantCulture, $"    last_used_at: {Rfc3339(lastUsed)}\n");
            }
            text.Append(CultureInfo.InvariantCulture, $"    username: {Quoted(c.Username)}\n");
            text.Append(CultureInfo.InvariantCulture, $"    issuer: {Quoted(c.Issuer)}\n");
            text.Append(CultureInfo.InvariantCulture, $"    algorithm: {c.Algorithm}\n");
            text.Append(CultureInfo.InvariantCulture, $"    digits: {c.Digits}\n");
            text.Append(CultureInfo.InvariantCulture, $"    period: {c.Period}\n");
            text.Append(CultureInfo.InvariantCulture, $"    secret: {TotpCodes.ToBase32(c.Secret)}\n");
        }
        return text.ToString();
    }

    private static int? Integer(Dictionary<string, string> values, string key, int fallback) =>
        !values.TryGetValue(key, out var text) ? fallback
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static DateTimeOffset? Time(Dictionary<string, string> values, string key, List<string> errors, string at)
    {
        if (!values.TryGetValue(key, out var text) || text.Length == 0)
        {
            return null;
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
        {
            return value.ToUniversalTime();
        }
        errors.Add($"{at}.{key}: must be a date and time (RFC 3339)");
        return null;
    }

    private static string Rfc3339(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Quoted(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
