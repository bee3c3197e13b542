using System.Reflection;

namespace Portal.Configuration;

/// <summary>
/// <c>PORTAL_SESSION_SECRET=x</c> sets <c>session.secret</c>; <c>PORTAL_SESSION_SECRET_FILE=/run/secrets/s</c> reads it
/// from a file (Docker/Kubernetes secrets). Only keys that hold a single value (not inside lists) can be set this
/// way, as in Authelia. Variable names are derived from the options schema, so a new option gets one for free.
/// </summary>
internal static class EnvironmentOverrides
{
    public const string Prefix = "PORTAL_";

    /// <summary>Variables the CLI reads itself; not configuration keys.</summary>
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal) { "PORTAL_CONFIG" };

    private static readonly Lazy<Dictionary<string, string>> VariableToPath = new(BuildMap);

    public static IReadOnlyDictionary<string, string> Variables => VariableToPath.Value;

    public static void Apply(ConfigMapping root, IReadOnlyDictionary<string, string> environment, ConfigDiagnostics diag)
    {
        // Sorted so that diagnostics come out in a stable order whatever the process environment's order.
        foreach (var (name, value) in environment.Where(e => e.Key.StartsWith(Prefix, StringComparison.Ordinal)).OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (Reserved.Contains(name))
            {
                continue;
            }
            if (VariableToPath.Value.TryGetValue(name, out var path))
            {
                if (environment.ContainsKey(name + "_FILE"))
                {
                    diag.Error("", $"environment variables {name} and {name}_FILE are both set; set only one");
                    continue;
                }
                Set(root, path, value, $"environment variable {name}");
            }
            else if (name.EndsWith("_FILE", StringComparison.Ordinal) && VariableToPath.Value.TryGetValue(name[..^5], out var filePath))
            {
                try
                {
                    // Secret files usually end with a newline that is not part of the secret.
                    var content = File.ReadAllText(value).TrimEnd('\r', '\n');
                    Set(root, filePath, content, $"environment variable {name}");
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
                {
                    diag.Error("", $"environment variable {name}: cannot read '{value}': {e.Message}");
                }
            }
            else
            {
                diag.Warning("", $"environment variable {name} does not match any configuration option and is ignored");
            }
        }
    }

    private static void Set(ConfigMapping root, string path, string value, string origin)
    {
        var segments = path.Split('.');
        var current = root;
        foreach (var segment in segments[..^1])
        {
            if (current.Entries.TryGetValue(segment, out var entry) && entry.Value is ConfigMapping child)
            {
                current = child;
                continue;
            }
            var created = new ConfigMapping { Origin = origin };
            current.Set(segment, created, null);
            current = created;
        }
        current.Set(segments[^1], new ConfigScalar(value) { Origin = origin }, null);
    }

    private static Dictionary<string, string> BuildMap()
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        Walk(typeof(PortalOptions), "", map);
        return map;
    }

    private static void Walk(Type type, string path, Dictionary<string, string> map)
    {
        foreach (var property in ConfigBinder.OptionProperties(type).Values)
        {
            var key = ConfigDiagnostics.Join(path, ConfigBinder.KeyOf(property));
            var t = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (t == typeof(string) || t == typeof(bool) || t == typeof(int) || t == typeof(TimeSpan))
            {
                map[Prefix + key.Replace('.', '_').ToUpperInvariant()] = key;
            }
            else if (t.IsClass && !t.IsGenericType && t.GetCustomAttribute<ConfigKeyAttribute>() is null)
            {
                Walk(t, key, map);
            }
        }
    }
}
