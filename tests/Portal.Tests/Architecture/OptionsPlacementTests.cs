using System.Reflection;
using System.Runtime.CompilerServices;
using Portal.Configuration;

namespace Portal.Tests.Architecture;

/// <summary>
/// Each feature owns its options and their validator (docs/ARCHITECTURE.md, "A config section"): Configuration/ is
/// the machinery and knows the features only through the root <see cref="PortalOptions"/>; every options type sits
/// with the code that reads it; options are set once by the binder and read-only afterwards.
/// </summary>
public sealed class OptionsPlacementTests
{
    private const string ConfigurationNamespace = "Portal.Configuration";

    /// <summary>Where an options block used by the sections of several features lives (TLS for Redis and SMTP).</summary>
    private const string SharedNamespace = "Portal.Infrastructure";

    private static readonly Assembly PortalAssembly = typeof(PortalOptions).Assembly;

    /// <summary>Every type the binder fills: reachable from the root through properties, collections included.</summary>
    private static List<Type> OptionsTypes()
    {
        var found = new List<Type>();
        var pending = new Queue<Type>([typeof(PortalOptions)]);
        while (pending.TryDequeue(out var type))
        {
            if (found.Contains(type))
            {
                continue;
            }
            found.Add(type);
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                foreach (var used in TypeReferences.Flatten(property.PropertyType).Where(t => t.Assembly == PortalAssembly && t.IsClass))
                {
                    pending.Enqueue(used);
                }
            }
        }
        return found;
    }

    private static Type Outermost(Type type) => type.DeclaringType is { } outer ? Outermost(outer) : type;

    [Fact]
    public void Configuration_refers_to_no_feature_except_through_the_root_options()
    {
        var offenders = new List<string>();
        var machinery = PortalAssembly.GetTypes().Where(t => t.Namespace == ConfigurationNamespace && Outermost(t) != typeof(PortalOptions)).ToList();
        Assert.Contains(typeof(ConfigBinder), machinery);
        foreach (var type in machinery)
        {
            foreach (var used in CodeReferences.Of(type).Where(u => u.Assembly == PortalAssembly && u.Namespace != ConfigurationNamespace && u.Namespace is not null))
            {
                offenders.Add($"{type.FullName} uses {used.FullName}");
            }
        }
        Assert.True(offenders.Count == 0, string.Join("\n", offenders.Distinct()));
    }

    [Fact]
    public void No_section_options_are_left_in_configuration()
    {
        var left = OptionsTypes().Where(t => t != typeof(PortalOptions) && t.Namespace == ConfigurationNamespace).Select(t => t.Name);
        Assert.Empty(left);
    }

    /// <summary>
    /// An options type lives in the namespace of code that reads it (a validator counts); one no code reads lives with
    /// the section that holds it; one held by the sections of several features lives in <see cref="SharedNamespace"/>.
    /// </summary>
    [Fact]
    public void Every_options_type_lives_with_the_feature_that_reads_it()
    {
        var options = OptionsTypes().Where(t => t != typeof(PortalOptions)).ToList();
        var optionsSet = OptionsTypes().ToHashSet();
        var readers = options.ToDictionary(t => t, _ => new HashSet<string>(StringComparer.Ordinal));
        foreach (var type in PortalAssembly.GetTypes().Where(t => !optionsSet.Contains(Outermost(t)) && t.Namespace is { } ns && ns != ConfigurationNamespace))
        {
            foreach (var used in CodeReferences.Of(type))
            {
                if (readers.TryGetValue(used, out var namespaces))
                {
                    namespaces.Add(type.Namespace!);
                }
            }
        }
        var offenders = new List<string>();
        foreach (var type in options)
        {
            var holders = optionsSet
                .Where(h => h.GetProperties(BindingFlags.Public | BindingFlags.Instance).Any(p => TypeReferences.Flatten(p.PropertyType).Contains(type)))
                .Select(h => h.Namespace!)
                .Distinct()
                .ToList();
            var expected = holders.Count > 1 ? [SharedNamespace]
                : readers[type].Count > 0 ? readers[type].ToList()
                : holders;
            if (!expected.Contains(type.Namespace!))
            {
                offenders.Add($"{type.Name} is in {type.Namespace}, expected {string.Join(" or ", expected)} (read by {string.Join(", ", readers[type])}; held by {string.Join(", ", holders)})");
            }
        }
        Assert.True(offenders.Count == 0, string.Join("\n", offenders));
    }

    [Fact]
    public void Every_option_is_set_once_init_only_and_every_collection_is_read_only()
    {
        var offenders = new List<string>();
        foreach (var type in OptionsTypes())
        {
            offenders.AddRange(type.GetFields(BindingFlags.Public | BindingFlags.Instance).Select(f => $"{type.Name}.{f.Name} is a public field"));
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                var setter = property.SetMethod;
                if (setter is null || !setter.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit)))
                {
                    offenders.Add($"{type.Name}.{property.Name} is not {{ get; init; }}");
                }
                foreach (var used in TypeReferences.Flatten(property.PropertyType).Where(t => t.IsArray || (t.IsGenericType && !t.IsInterface && t.GetGenericTypeDefinition() != typeof(Nullable<>))))
                {
                    offenders.Add($"{type.Name}.{property.Name} holds a mutable {used.Name}: use IReadOnlyList<T> or IReadOnlyDictionary<string, T>");
                }
            }
        }
        Assert.True(offenders.Count == 0, string.Join("\n", offenders));
    }

    [Fact]
    public void A_loaded_list_or_map_cannot_be_changed_even_through_a_cast()
    {
        var options = ConfigLoader.LoadYaml("definitions:\n  network:\n    lan: ['192.168.0.0/16']\n").Options;
        Assert.False(options.Server.TrustedProxies is List<string>);
        Assert.True(options.Server.TrustedProxies is ICollection<string> { IsReadOnly: true });
        Assert.True(options.Definitions.Network is IDictionary<string, IReadOnlyList<string>> { IsReadOnly: true });
        Assert.True(options.Definitions.Network["lan"] is ICollection<string> { IsReadOnly: true });
    }

    [Fact]
    public void Path_options_are_marked_strings()
    {
        var marked = OptionsTypes()
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            .Where(p => p.IsDefined(typeof(ConfigPathAttribute)))
            .ToList();
        Assert.NotEmpty(marked);
        Assert.All(marked, p => Assert.Equal(typeof(string), p.PropertyType));
    }

    [Fact]
    public void Every_section_validator_is_registered_once_and_lives_with_its_section()
    {
        var validators = PortalOptions.Validators.Select(v => v.Method.DeclaringType!).ToList();
        Assert.Equal(validators.Count, validators.Distinct().Count());
        Assert.All(validators, v => Assert.NotEqual(ConfigurationNamespace, v.Namespace));
        var optionsNamespaces = OptionsTypes().Select(t => t.Namespace!).ToHashSet(StringComparer.Ordinal);
        Assert.All(validators, v => Assert.Contains(v.Namespace!, optionsNamespaces));
        var sectionNamespaces = typeof(PortalOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.PropertyType.Namespace!);
        Assert.All(sectionNamespaces, ns => Assert.Contains(validators, v => v.Namespace == ns));
        // Every static Validate(PortalOptions, ConfigDiagnostics) in the assembly is in the list, so none is forgotten.
        var declared = PortalAssembly.GetTypes()
            .Where(t => t.GetMethod("Validate", BindingFlags.Public | BindingFlags.Static, [typeof(PortalOptions), typeof(ConfigDiagnostics)]) is not null)
            .Where(t => t != typeof(ConfigValidator));
        Assert.Equal(declared.OrderBy(t => t.FullName), validators.OrderBy(t => t.FullName));
    }

}
