namespace Portal.Configuration;

/// <summary>The checks several section validators share, each reporting with the YAML path.</summary>
internal static class ConfigChecks
{
    internal static void RequireOneOf(ConfigDiagnostics diag, string path, string key, string value, params string[] allowed)
    {
        if (!allowed.Contains(value, StringComparer.Ordinal))
        {
            var list = string.Join(", ", allowed.Where(a => a.Length > 0).Select(a => $"'{a}'"));
            diag.Error(path, key, $"must be one of {list}{(allowed.Contains("") ? " or empty" : "")} but it's configured as '{value}'");
        }
    }

    internal static void RequirePositive(ConfigDiagnostics diag, string path, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            diag.Error(path, key, "must be a duration greater than zero");
        }
    }

    internal static void RequireRange(ConfigDiagnostics diag, string path, string key, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            diag.Error(path, key, $"must be between {min} and {max} but it's configured as {value}");
        }
    }
}
