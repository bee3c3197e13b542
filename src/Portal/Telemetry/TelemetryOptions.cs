namespace Portal.Telemetry;

/// <summary>The <c>telemetry</c> section (Authelia's): only <c>metrics</c>.</summary>
internal sealed class TelemetryOptions
{
    public MetricsOptions Metrics { get; init; } = new();
}
