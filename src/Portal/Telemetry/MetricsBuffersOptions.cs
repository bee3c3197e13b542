using System.ComponentModel;

namespace Portal.Telemetry;

/// <summary><c>telemetry.metrics.buffers</c>: bytes, Authelia's defaults.</summary>
internal sealed class MetricsBuffersOptions
{
    /// <summary>The most a scrape request (request line and headers) may take.</summary>
    [Description("Bytes a scrape request (request line and headers) may take; at least 1024.")]
    public int Read { get; init; } = 4096;

    /// <summary>How much of the answer is buffered before the listener waits for the scraper to read.</summary>
    [Description("Bytes of the answer buffered before waiting for the scraper; at least 1024.")]
    public int Write { get; init; } = 4096;
}
