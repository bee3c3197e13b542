using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Portal.Infrastructure;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace Portal.Tests.Support;

/// <summary>
/// Every event a test portal logs, as Serilog delivers it to its sinks: the portal's own log configuration
/// (<see cref="Logging.Configure"/>, at <c>warn</c> like the test hosts; written to a file in the test's directory) with
/// this sink added. Use <see cref="Configure"/> in the host's <c>configure</c> hook. Not disposable on purpose: Serilog
/// disposes a sink that is, when the portal stops.
/// </summary>
internal sealed class CapturedLog : ILogEventSink
{
    private readonly ConcurrentQueue<LogEvent> _events = new();

    public IReadOnlyList<LogEvent> Events => [.. _events];

    public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);

    /// <param name="format">the log file's <c>log.format</c></param>
    public void Configure(WebApplicationBuilder builder, string logFile, string format = "text")
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSerilog((_, config) => Logging.Configure(config, new LogOptions { Level = "warn", FilePath = logFile, Format = format }).WriteTo.Sink(this),
            preserveStaticLogger: true);
    }

    /// <summary>The events carrying <c>AuditEvent</c> = <paramref name="name"/>.</summary>
    public List<LogEvent> Audit(string name) =>
        [.. Events.Where(e => e.Properties.TryGetValue("AuditEvent", out var v) && v is ScalarValue { Value: string s } && s == name)];

    /// <summary>A property's value as text (a string without quotes).</summary>
    public static string? Text(LogEvent e, string property) =>
        e.Properties.TryGetValue(property, out var v) ? v is ScalarValue { Value: var s } ? Convert.ToString(s, System.Globalization.CultureInfo.InvariantCulture) : v.ToString() : null;

    /// <summary>Every event rendered with all its properties, for checking that a secret appears nowhere.</summary>
    public string Everything() => string.Join("\n", Events.Select(e =>
        e.RenderMessage() + " " + string.Join(" ", e.Properties.Select(p => $"{p.Key}={p.Value}")) + " " + e.Exception));
}
