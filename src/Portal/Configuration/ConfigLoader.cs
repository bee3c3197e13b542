namespace Portal.Configuration;

/// <summary>Reads configuration files and environment overrides into <see cref="PortalOptions"/>, then validates.</summary>
internal static class ConfigLoader
{
    /// <summary>
    /// Loads and validates. Never throws for bad input: every problem is a diagnostic. Later files override earlier
    /// ones; environment variables override files.
    /// </summary>
    public static ConfigLoadResult Load(IReadOnlyList<string> files, IReadOnlyDictionary<string, string>? environment = null)
    {
        var diag = new ConfigDiagnostics();
        if (files.Count == 0)
        {
            diag.Error("", "no configuration file given (use --config FILE)");
        }
        var sources = new List<(string Text, string Name)>();
        foreach (var file in files)
        {
            try
            {
                sources.Add((File.ReadAllText(file), file));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                diag.Error("", $"cannot read configuration file '{file}': {e.Message}");
            }
        }
        var baseDirectory = files.Count > 0 ? Path.GetDirectoryName(Path.GetFullPath(files[0])) : null;
        return Build(sources, environment, diag, baseDirectory);
    }

    /// <summary>Loads YAML text (tests, embedded defaults). Relative paths stay relative to the working directory.</summary>
    public static ConfigLoadResult LoadYaml(string yaml, IReadOnlyDictionary<string, string>? environment = null) =>
        Build([(yaml, "configuration")], environment, new ConfigDiagnostics(), null);

    private static ConfigLoadResult Build(IEnumerable<(string Text, string Name)> sources, IReadOnlyDictionary<string, string>? environment, ConfigDiagnostics diag, string? baseDirectory)
    {
        ConfigNode root = new ConfigMapping();
        foreach (var (text, name) in sources)
        {
            switch (ConfigNode.FromYaml(text, name, diag))
            {
                case ConfigMapping mapping:
                    root = ConfigNode.Merge(root, mapping);
                    break;
                case null:
                    break;
                case var other:
                    diag.Error("", $"{name}: the top level must be a mapping of sections, not {other.Kind}");
                    break;
            }
        }
        if (environment is not null)
        {
            EnvironmentOverrides.Apply((ConfigMapping)root, environment, diag);
        }
        // File paths ([ConfigPath]) are relative to the (first) configuration file; LoadYaml leaves them as written.
        var options = new ConfigBinder(diag, baseDirectory).Bind<PortalOptions>(root);
        ConfigValidator.Validate(options, diag);
        return new ConfigLoadResult(options, diag);
    }

    /// <summary>The process environment as a dictionary, for <see cref="Load"/>.</summary>
    public static IReadOnlyDictionary<string, string> ProcessEnvironment()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
        {
            if (e.Key is string k && e.Value is string v)
            {
                result[k] = v;
            }
        }
        return result;
    }
}
