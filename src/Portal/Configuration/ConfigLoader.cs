namespace Portal.Configuration;

/// <summary>Reads configuration files and environment overrides into <see cref="PortalOptions"/>, then validates.</summary>
internal static class ConfigLoader
{
    /// <summary>Loads and validates. Never throws for bad input: every problem is a diagnostic.</summary>
    public static ConfigLoadResult Load(IReadOnlyList<string> files, IReadOnlyDictionary<string, string>? environment = null)
    {
        // Replaced by the YAML binder; kept compiling so features can code against this signature.
        _ = files;
        _ = environment;
        return new ConfigLoadResult(new PortalOptions(), new ConfigDiagnostics());
    }

    /// <summary>Loads YAML text (tests, embedded defaults).</summary>
    public static ConfigLoadResult LoadYaml(string yaml, IReadOnlyDictionary<string, string>? environment = null)
    {
        _ = yaml;
        _ = environment;
        return new ConfigLoadResult(new PortalOptions(), new ConfigDiagnostics());
    }
}

internal sealed record ConfigLoadResult(PortalOptions Options, ConfigDiagnostics Diagnostics)
{
    public bool IsValid => !Diagnostics.HasErrors;
}
