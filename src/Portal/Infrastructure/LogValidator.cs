using Portal.Configuration;
using static Portal.Configuration.ConfigChecks;

namespace Portal.Infrastructure;

/// <summary>Checks the <c>log</c> section.</summary>
internal static class LogValidator
{
    public static void Validate(PortalOptions options, ConfigDiagnostics diag)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(diag);
        var log = options.Log;
        RequireOneOf(diag, "log", "level", log.Level, "error", "warn", "info", "debug", "trace");
        RequireOneOf(diag, "log", "format", log.Format, "text", "json");
    }
}
