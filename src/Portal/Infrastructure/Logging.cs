using Portal.Configuration;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

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
        var level = ToSerilogLevel(log.Level);
        config = config.MinimumLevel.Is(level)
            // ASP.NET Core's own request chatter drowns the portal's decisions at info.
            .MinimumLevel.Override("Microsoft", level < LogEventLevel.Warning ? LogEventLevel.Warning : level)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
            .Enrich.FromLogContext();
        var toConsole = log.FilePath.Length == 0 || log.KeepStdout;
        if (toConsole)
        {
            config = log.Format == "json"
                ? config.WriteTo.Console(new CompactJsonFormatter())
                : config.WriteTo.Console(outputTemplate: TextTemplate, formatProvider: System.Globalization.CultureInfo.InvariantCulture);
        }
        if (log.FilePath.Length > 0)
        {
            config = log.Format == "json"
                ? config.WriteTo.File(new CompactJsonFormatter(), log.FilePath)
                : config.WriteTo.File(log.FilePath, outputTemplate: TextTemplate, formatProvider: System.Globalization.CultureInfo.InvariantCulture);
        }
        return config;
    }

    private const string TextTemplate = "time=\"{Timestamp:yyyy-MM-ddTHH:mm:ss.fffzzz}\" level={Level:l} msg=\"{Message:l}\"{NewLine}{Exception}";
}
