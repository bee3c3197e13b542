using System.ComponentModel;
using Portal.Infrastructure;

namespace Portal.Telemetry;

/// <summary>
/// <c>telemetry.metrics</c>, as Authelia names it: a Prometheus endpoint on a listener of its own (never the
/// portal's port), off unless enabled.
/// </summary>
internal sealed class MetricsOptions
{
    [Description("Serve the metrics.")]
    public bool Enabled { get; init; }

    /// <summary>Listen address and path in Authelia's form; the path is where the metrics are served.</summary>
    [Description("Where the metrics listener binds and the path it serves them at (same forms as server.address; not the portal's port).")]
    public string Address { get; init; } = "tcp://:9959/metrics";

    [Description("The metrics listener's buffer sizes, in bytes.")]
    public MetricsBuffersOptions Buffers { get; init; } = new();

    /// <summary>The listener's own timeouts (the same keys and defaults as <c>server.timeouts</c>).</summary>
    [Description("The metrics listener's timeouts.")]
    public ServerTimeoutsOptions Timeouts { get; init; } = new();
}
