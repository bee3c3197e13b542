using System.Globalization;
using System.Text;
using Portal.Configuration;
using Serilog;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Compact;
using Serilog.Formatting.Display;

namespace Portal.Infrastructure;

/// <summary>Serilog from the <c>log</c> section: Authelia's level names, text or JSON, optional file.</summary>
internal static class Logging
{
    public static LogEventLevel ToSerilogLevel(string level) => level switch
    {
        "error" => LogEventLevel.Error,
        "warn" => LogEventLevel.Warning,
        "debug" => LogEventLevel.Debug,
        "trace" => LogEventLevel.Verbose,
        _ => LogEventLevel.Information,
    };

    public static LoggerConfiguration Configure(LoggerConfiguration config, LogOptions log)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(log);
        var level = ToSerilogLevel(log.Level);
        config = config.MinimumLevel.Is(level)
            // ASP.NET Core's own request chatter drowns the portal's decisions at info.
            .MinimumLevel.Override("Microsoft", level < LogEventLevel.Warning ? LogEventLevel.Warning : level)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
            // Security events are written whatever the level: a pipeline alerting on them must not go blind at 'warn'.
            .MinimumLevel.Override(Audit.AuditTrail.Category, level < LogEventLevel.Information ? level : LogEventLevel.Information)
            .Enrich.FromLogContext();
        ITextFormatter formatter = log.Format == "json" ? new CompactJsonFormatter() : new LogfmtTextFormatter();
        if (log.FilePath.Length == 0 || log.KeepStdout)
        {
            config = config.WriteTo.Console(formatter);
        }
        if (log.FilePath.Length > 0)
        {
            config = config.WriteTo.File(formatter, log.FilePath);
        }
        return config;
    }
}
