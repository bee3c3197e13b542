using System.Collections;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Reflection;
using System.Text;

namespace Portal.Configuration;

/// <summary>
/// Binds a <see cref="ConfigNode"/> tree onto options classes by reflection, reporting every type mismatch and
/// unknown key with its YAML path instead of stopping at the first. Scalars are accepted where a list is expected
/// (Authelia lets <c>domain: 'x'</c> stand for <c>domain: ['x']</c>); an empty value keeps the default. Options are
/// set once, here (their setters are init-only); a <see cref="ConfigPathAttribute"/> value is resolved against
/// <paramref name="baseDirectory"/> as it is bound.
/// </summary>
internal sealed class ConfigBinder(ConfigDiagnostics diag, string? baseDirectory = null)
{
    public T Bind<T>(ConfigNode root) where T : class, new() =>
        (T)(BindValue(root, typeof(T), "", new T()) ?? new T());

    private object? BindValue(ConfigNode node, Type type, string path, object? current)
    {
        if (path.Length > 0)
        {
            diag.SetOrigin(path, node.Origin ?? (node.Line is { } l ? string.Create(CultureInfo.InvariantCulture, $"line {l}") : ""));
        }
        if (node is ConfigScalar { Value: null })
        {
            return current;
        }

        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (target == typeof(string))
        {
            return node is ConfigScalar s ? s.Value : Mismatch(path, "must be a single value", node, current);
        }
        if (target == typeof(bool))
        {
            return node is ConfigScalar { Value: var b } && bool.TryParse(b, out var flag) ? flag : Mismatch(path, "must be true or false", node, current);
        }
        if (target == typeof(int))
        {
            return node is ConfigScalar { Value: var n } && int.TryParse(n, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
                ? number
                : Mismatch(path, "must be a whole number", node, current);
        }
        if (target == typeof(TimeSpan))
        {
            return node is ConfigScalar { Value: var d } && Duration.TryParse(d, out var duration)
                ? duration
                : Mismatch(path, "must be a duration such as '90s', '5m', '1h30m' or '30 days'", node, current);
        }
        if (IsGeneric(target, typeof(IReadOnlyList<>), out var elementType) || IsGeneric(target, typeof(List<>), out elementType))
        {
            return BindList(node, target, elementType, path);
        }
        if (IsGeneric(target, typeof(IReadOnlyDictionary<,>), out _) || IsGeneric(target, typeof(Dictionary<,>), out _))
        {
            return BindDictionary(node, target, path, current);
        }
        if (target.IsClass)
        {
            return BindObject(node, target, path, current);
        }
        throw new InvalidOperationException($"Options type {target} has no binding rule.");
    }

    private object BindList(ConfigNode node, Type listType, Type elementType, string path)
    {
        var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(elementType))!;
        if (node is ConfigSequence seq)
        {
            for (var i = 0; i < seq.Items.Count; i++)
            {
                var itemPath = string.Create(CultureInfo.InvariantCulture, $"{path}[{i}]");
                var item = BindValue(seq.Items[i], elementType, itemPath, null);
                if (item is null)
                {
                    diag.Error(itemPath, "must not be empty");
                    continue;
                }
                list.Add(item);
            }
        }
        else if (BindValue(node, elementType, path, null) is { } single)
        {
            list.Add(single);
        }
        // Options are read-only once loaded: a read-only list is handed out as a wrapper nobody can cast back.
        return listType.IsInterface
            ? Activator.CreateInstance(typeof(ReadOnlyCollection<>).MakeGenericType(elementType), list)!
            : list;
    }

    private object? BindDictionary(ConfigNode node, Type dictionaryType, string path, object? current)
    {
        if (node is not ConfigMapping map)
        {
            return Mismatch(path, "must be a mapping of names to values", node, current);
        }
        var arguments = dictionaryType.GetGenericArguments();
        var valueType = arguments[1];
        // Keys are compared as written (ordinal), whatever the default's comparer; entries already there are kept.
        var dictionary = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(arguments), StringComparer.Ordinal)!;
        if (current is IDictionary existing)
        {
            foreach (DictionaryEntry pair in existing)
            {
                dictionary[pair.Key] = pair.Value;
            }
        }
        foreach (var (key, entry) in map.Ordered)
        {
            var itemPath = ConfigDiagnostics.Join(path, key);
            if (BindValue(entry.Value, valueType, itemPath, null) is { } value)
            {
                dictionary[key] = value;
            }
        }
        return dictionaryType.IsInterface
            ? Activator.CreateInstance(typeof(ReadOnlyDictionary<,>).MakeGenericType(arguments), dictionary)!
            : dictionary;
    }

    private object? BindObject(ConfigNode node, Type type, string path, object? current)
    {
        if (node is not ConfigMapping map)
        {
            return Mismatch(path, "must be a mapping of options", node, current);
        }
        var instance = current ?? Activator.CreateInstance(type)!;
        var properties = OptionProperties(type);
        foreach (var (key, entry) in map.Ordered)
        {
            var keyPath = ConfigDiagnostics.Join(path, key);
            if (entry.KeyLine is { } line)
            {
                diag.SetOrigin(keyPath, entry.Value.Origin ?? string.Create(CultureInfo.InvariantCulture, $"line {line}"));
            }
            if (properties.TryGetValue(key, out var property))
            {
                var value = BindValue(entry.Value, property.PropertyType, keyPath, property.GetValue(instance));
                if (value is string file && property.IsDefined(typeof(ConfigPathAttribute)))
                {
                    value = ResolvePath(file);
                }
                property.SetValue(instance, value);
            }
            else
            {
                UnknownKey(path, key, properties.Keys);
            }
        }
        return instance;
    }

    /// <summary>Relative to the configuration file, so the same file works whatever the working directory.</summary>
    private string ResolvePath(string path) =>
        baseDirectory is null || path.Length == 0 || Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(baseDirectory, path));

    private void UnknownKey(string path, string key, IEnumerable<string> known)
    {
        if (UnsupportedOptions.Find(path, key) is { } unsupported)
        {
            if (unsupported.IsError)
            {
                diag.Error(path, key, unsupported.Message);
            }
            else
            {
                diag.Warning(path, key, unsupported.Message);
            }
            return;
        }
        var suggestion = Suggest(key, known);
        diag.Error(path, key, suggestion is null ? "is not a known option" : $"is not a known option — did you mean '{suggestion}'?");
    }

    private object? Mismatch(string path, string expectation, ConfigNode node, object? current)
    {
        var got = node is ConfigScalar { Value: var v } ? $"'{v}'" : node.Kind;
        var cut = path.LastIndexOf('.');
        var last = path[(cut + 1)..];
        if (last.Length > 0 && !last.Contains('[', StringComparison.Ordinal))
        {
            diag.Error(cut < 0 ? "" : path[..cut], last, $"{expectation}, not {got}");
        }
        else
        {
            diag.Error(path, $"{expectation}, not {got}");
        }
        return current;
    }

    private static bool IsGeneric(Type type, Type definition, out Type firstArgument)
    {
        var matches = type.IsGenericType && type.GetGenericTypeDefinition() == definition;
        firstArgument = matches ? type.GetGenericArguments()[0] : typeof(void);
        return matches;
    }

    /// <summary>Settable public properties by their YAML key.</summary>
    internal static Dictionary<string, PropertyInfo> OptionProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.GetIndexParameters().Length == 0)
            .ToDictionary(KeyOf, StringComparer.Ordinal);

    internal static string KeyOf(PropertyInfo property) =>
        property.GetCustomAttribute<ConfigKeyAttribute>()?.Name ?? SnakeCase(property.Name);

    internal static string SnakeCase(string name)
    {
        var sb = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c) && i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1])))
            {
                sb.Append('_');
            }
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }

    /// <summary>The closest known key within a small edit distance, for "did you mean" hints.</summary>
    internal static string? Suggest(string key, IEnumerable<string> known)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in known)
        {
            var distance = Levenshtein(key.ToLowerInvariant(), candidate);
            if (distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }
        return best is not null && bestDistance <= Math.Max(2, key.Length / 3) ? best : null;
    }

    private static int Levenshtein(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var row = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                row[j] = Math.Min(Math.Min(row[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, row) = (row, previous);
        }
        return previous[b.Length];
    }
}
