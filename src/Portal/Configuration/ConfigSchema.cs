using System.ComponentModel;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portal.Configuration;

/// <summary>
/// The JSON Schema (draft 2020-12) of the configuration file, made from the option classes the binder fills — the
/// same keys (<see cref="ConfigBinder.KeyOf"/>), types and defaults — so editors flag what <c>validate-config</c>
/// would. It accepts what the binder accepts: a single value wherever a list is, a number or a duration string for
/// durations, an empty value (<c>key:</c>, which keeps the default) anywhere, and the Authelia keys Portal ignores
/// with a warning (marked deprecated). Descriptions come from each
/// option's <see cref="DescriptionAttribute"/>, allowed values from <see cref="ConfigValuesAttribute"/>.
/// </summary>
internal static class ConfigSchema
{
    public const string Id = "urn:portal:configuration";

    public static JsonObject Generate()
    {
        var root = ObjectSchema(typeof(PortalOptions), "");
        var schema = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = Id,
            ["title"] = "Portal configuration",
            ["description"] = "The portal's configuration file (Authelia's keys). Check it with 'portal validate-config'.",
        };
        foreach (var (key, value) in root.ToList())
        {
            root.Remove(key);
            schema[key] = value;
        }
        return schema;
    }

    public static string GenerateText() =>
        Generate().ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";

    /// <summary>Every option key with its property, depth first, as dotted paths (lists as <c>[]</c>).</summary>
    public static IEnumerable<(string Path, PropertyInfo Property)> Options(Type type, string path = "")
    {
        foreach (var (key, property) in ConfigBinder.OptionProperties(type).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var keyPath = ConfigDiagnostics.Join(path, key);
            yield return (keyPath, property);
            var (element, suffix) = Element(property.PropertyType);
            if (IsSection(element))
            {
                foreach (var inner in Options(element, keyPath + suffix))
                {
                    yield return inner;
                }
            }
        }
    }

    private static JsonObject ObjectSchema(Type type, string path)
    {
        var properties = new JsonObject();
        var defaults = Activator.CreateInstance(type);
        foreach (var (key, property) in ConfigBinder.OptionProperties(type).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var keyPath = ConfigDiagnostics.Join(path, key);
            var schema = ValueSchema(property.PropertyType, keyPath, property.GetCustomAttribute<ConfigValuesAttribute>());
            if (property.GetCustomAttribute<DescriptionAttribute>()?.Description is { Length: > 0 } description)
            {
                schema["description"] = description;
            }
            if (Default(property.GetValue(defaults)) is { } value)
            {
                schema["default"] = value;
            }
            properties[key] = schema;
        }
        foreach (var (key, unsupported) in UnsupportedOptions.Under(path))
        {
            // An ignored Authelia key is allowed (it warns); one whose absence would change who gets in is not listed,
            // so editors flag it as the error it is.
            if (!unsupported.IsError && !properties.ContainsKey(key))
            {
                properties[key] = new JsonObject { ["description"] = $"Authelia's '{ConfigDiagnostics.Join(path, key)}' {unsupported.Message}.", ["deprecated"] = true };
            }
        }
        return new JsonObject
        {
            ["type"] = path.Length == 0 ? "object" : new JsonArray("object", "null"),
            ["properties"] = properties,
            ["additionalProperties"] = false,
        };
    }

    private static JsonObject ValueSchema(Type type, string path, ConfigValuesAttribute? values)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (target == typeof(string))
        {
            return values is null
                ? new JsonObject { ["type"] = new JsonArray("string", "number", "boolean", "null") }
                : new JsonObject { ["enum"] = new JsonArray([.. values.Values.Select(v => (JsonNode?)v), null]) };
        }
        if (target == typeof(bool))
        {
            return new JsonObject { ["type"] = new JsonArray("boolean", "null") };
        }
        if (target == typeof(int))
        {
            return new JsonObject { ["type"] = new JsonArray("integer", "null") };
        }
        if (target == typeof(TimeSpan))
        {
            // Duration.TryParse: a number of seconds, or '90s', '5m', '1h30m', '5 minutes', '30d', '1y'.
            return new JsonObject { ["type"] = new JsonArray("string", "integer", "null") };
        }
        if (IsList(target, out var item))
        {
            // The binder takes a single value where a list is expected.
            var single = ValueSchema(item, path + "[]", values);
            return new JsonObject
            {
                ["anyOf"] = new JsonArray(
                    new JsonObject { ["type"] = "array", ["items"] = ValueSchema(item, path + "[]", values) },
                    single),
            };
        }
        if (IsDictionary(target, out var valueType))
        {
            return new JsonObject
            {
                ["type"] = new JsonArray("object", "null"),
                ["additionalProperties"] = ValueSchema(valueType, path + ".*", values),
            };
        }
        if (IsSection(target))
        {
            return ObjectSchema(target, path);
        }
        throw new InvalidOperationException($"Options type {target} at '{path}' has no schema rule.");
    }

    private static JsonNode? Default(object? value) => value switch
    {
        null => null,
        string { Length: 0 } => null,
        string s => s,
        bool b => b,
        int i => i,
        TimeSpan t => Duration.Format(t),
        System.Collections.IDictionary { Count: 0 } => null,
        System.Collections.IEnumerable list when value.GetType() != typeof(string) && list.Cast<object?>().ToList() is var items =>
            items.Count == 0 || items.Any(i => i is not (string or int or bool)) ? null : new JsonArray(items.Select(Default).ToArray()),
        _ => null,
    };

    private static (Type Element, string Suffix) Element(Type type)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        var suffix = "";
        while (IsList(target, out var item))
        {
            target = item;
            suffix += "[]";
        }
        if (IsDictionary(target, out var value))
        {
            var (inner, innerSuffix) = Element(value);
            return (inner, suffix + ".*" + innerSuffix);
        }
        return (target, suffix);
    }

    private static bool IsSection(Type type) =>
        type.IsClass && type != typeof(string) && !IsList(type, out _) && !IsDictionary(type, out _);

    private static bool IsList(Type type, out Type item)
    {
        var generic = type.IsGenericType ? type.GetGenericTypeDefinition() : null;
        item = generic == typeof(IReadOnlyList<>) || generic == typeof(List<>) ? type.GetGenericArguments()[0] : typeof(void);
        return item != typeof(void);
    }

    private static bool IsDictionary(Type type, out Type value)
    {
        var generic = type.IsGenericType ? type.GetGenericTypeDefinition() : null;
        value = generic == typeof(IReadOnlyDictionary<,>) || generic == typeof(Dictionary<,>) ? type.GetGenericArguments()[1] : typeof(void);
        return value != typeof(void);
    }
}
