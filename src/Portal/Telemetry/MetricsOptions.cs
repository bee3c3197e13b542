using Portal.Infrastructure;

namespace Portal.Telemetry;

/// <summary>
/// <c>telemetry.metrics</c>, as Authelia names it: a Prometheus endpoint on a listener of its own (never the
/// portal's port), off unless enabled.
/// </summary>
internal sealed class MetricsOptions
{
    public bool Enabled { get; init; }

    /// <summary>Listen address and path in Authelia's form; the path is where the metrics are served.</summary>
    public string Address { get; init; } = "tcp://:9959/metrics";

    public MetricsBuffersOptions Buffers { get; init; } = new();

    /// <summary>The listener's own timeouts (the same keys and defaults as <c>server.timeouts</c>).</summary>
    public ServerTimeoutsOptions Timeouts { get; init; } = new();
}
