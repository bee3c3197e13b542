using Portal.Configuration;

namespace Portal.Cli;

/// <summary>How every subcommand finds and loads its configuration, so they all behave alike.</summary>
internal static class CliConfig
{
    /// <summary>Files from <c>--config</c> (repeatable), else from <c>PORTAL_CONFIG</c> (comma-separated).</summary>
    public static IReadOnlyList<string> Files(CliArgs args, IReadOnlyDictionary<string, string> environment)
    {
        if (args.Values("config") is { Count: > 0 } files)
        {
            return files;
        }
        if (environment.TryGetValue("PORTAL_CONFIG", out var fromEnv) && fromEnv.Length > 0)
        {
            return fromEnv.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }
        throw new CliUsageException("option --config is required (or set PORTAL_CONFIG)");
    }

    /// <summary>Loads the configuration; prints warnings, and errors when invalid.</summary>
    public static ConfigLoadResult Load(CliArgs args, TextWriter stderr)
    {
        var environment = ConfigLoader.ProcessEnvironment();
        var result = ConfigLoader.Load(Files(args, environment), environment);
        PrintDiagnostics(result.Diagnostics, stderr);
        return result;
    }

    public static void PrintDiagnostics(ConfigDiagnostics diagnostics, TextWriter writer)
    {
        var errors = diagnostics.Errors.ToList();
        var warnings = diagnostics.Warnings.ToList();
        if (errors.Count > 0)
        {
            writer.WriteLine($"Configuration has {errors.Count} {(errors.Count == 1 ? "error" : "errors")}:");
            foreach (var error in errors)
            {
                writer.WriteLine($"  - {error}");
            }
        }
        if (warnings.Count > 0)
        {
            writer.WriteLine($"Configuration has {warnings.Count} {(warnings.Count == 1 ? "warning" : "warnings")}:");
            foreach (var warning in warnings)
            {
                writer.WriteLine($"  - {warning}");
            }
        }
    }
}
