using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using Portal.Infrastructure;

namespace Portal.Telemetry;

/// <summary>
/// <c>telemetry.metrics</c>: a Kestrel listener of its own (its address, buffers and timeouts) that serves the
/// portal's instruments in Prometheus' text format at the address's path, and nothing else. The OpenTelemetry SDK
/// reads the instruments (<see cref="System.Diagnostics.Metrics"/>); only those this portal created through its
/// <see cref="IMeterFactory"/> are exported, so two portals in one process (tests) never mix their counts.
/// </summary>
internal sealed partial class MetricsListener(MetricsOptions options, IMeterFactory meters, ILoggerFactory loggers) : IHostedService, IAsyncDisposable
{
    /// <summary>Every portal meter is named <c>Portal.&lt;Feature&gt;</c>.</summary>
    public const string MeterNames = "Portal.*";

    private MeterProvider? _provider;
    private WebApplication? _app;

    /// <summary>The URLs bound once started (port 0 resolved).</summary>
    public IReadOnlyList<string> Addresses { get; private set; } = [];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!ListenAddress.TryParse(options.Address, out var address, out var error))
        {
            throw new PortalApp.StartupException($"telemetry: metrics: option 'address' {error}");
        }
        var path = TelemetryValidator.PathOf(address);
        _provider = Sdk.CreateMeterProviderBuilder()
            .AddMeter(MeterNames)
            .AddView(instrument => ReferenceEquals(instrument.Meter.Scope, meters) ? null : MetricStreamConfiguration.Drop)
            .AddPrometheusExporter(exporter =>
            {
                // Every scrape reads the instruments now (the default caches an answer for 300 ms).
                exporter.ScrapeResponseCacheDurationMilliseconds = 0;
                // Authelia's names as they are (portal_authz, not portal_authz_total); the instruments carry no unit
                // so that no unit suffix is added either (durations are in seconds, as Authelia's).
                exporter.DisableTotalNameSuffixForCounters = true;
                exporter.ScopeInfoEnabled = false;
                exporter.TargetInfoEnabled = false;
            })
            .Build();

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        // One process, one set of log sinks.
        builder.Logging.ClearProviders();
        builder.Services.Replace(ServiceDescriptor.Singleton(loggers));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // buffers.read bounds a scrape request; buffers.write how much of the answer waits in memory.
            kestrel.Limits.MaxRequestLineSize = options.Buffers.Read;
            kestrel.Limits.MaxRequestHeadersTotalSize = options.Buffers.Read;
            kestrel.Limits.MaxRequestBufferSize = options.Buffers.Read;
            kestrel.Limits.MaxResponseBufferSize = options.Buffers.Write;
            kestrel.Limits.MaxRequestBodySize = 0;
            kestrel.Limits.RequestHeadersTimeout = options.Timeouts.Read;
            kestrel.Limits.KeepAliveTimeout = options.Timeouts.Idle;
            address.ListenOn(kestrel, _ => { });
        });
        var app = builder.Build();
        var write = options.Timeouts.Write;
        app.Use(async (context, next) =>
        {
            // timeouts.write: an answer not written in time ends the connection (Kestrel has no write deadline).
            using var deadline = new CancellationTokenSource(write);
            using var abort = deadline.Token.Register(context.Abort);
            await next(context);
        });
        // The only endpoint: anything else is a 404.
        app.MapPrometheusScrapingEndpoint(path, _provider, null, null);
        _app = app;
        await app.StartAsync(cancellationToken);
        Addresses = PortalApp.BoundAddresses(app);
        var urls = string.Join(", ", Addresses.Select(a => a + path));
        var logger = loggers.CreateLogger<MetricsListener>();
        LogListening(logger, urls);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
            _app = null;
        }
        _provider?.Dispose();
        _provider = null;
    }

    [LoggerMessage(EventId = 5100, Level = LogLevel.Information, Message = "Metrics are served at {Url}")]
    private static partial void LogListening(ILogger logger, string url);
}
