using System.ComponentModel;

namespace Portal.Telemetry;

/// <summary>The <c>telemetry</c> section (Authelia's): only <c>metrics</c>.</summary>
internal sealed class TelemetryOptions
{
    [Description("Prometheus metrics on a listener apart from the portal's.")]
    public MetricsOptions Metrics { get; init; } = new();
}
