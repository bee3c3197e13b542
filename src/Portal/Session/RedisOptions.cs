using Portal.Configuration;
using Portal.Infrastructure;

namespace Portal.Session;

internal sealed class RedisOptions
{
    public const int DefaultPort = 6379;

    /// <summary>Sentinel's port, the default of <see cref="Port"/> under <see cref="HighAvailability"/> (as Authelia).</summary>
    public const int SentinelPort = 26379;

    /// <summary>The Redis server; under <see cref="HighAvailability"/> the first Sentinel (Authelia's reading).</summary>
    public string Host { get; init; } = "";

    /// <summary>Unset: 6379, or 26379 under <see cref="HighAvailability"/>; read it through <see cref="EffectivePort"/>.</summary>
    public int? Port { get; init; }
    public string Username { get; init; } = "";
    public string Password { get; init; } = "";
    public int DatabaseIndex { get; init; }
    public int MaximumActiveConnections { get; init; } = 8;
    public int MinimumIdleConnections { get; init; }
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);
    public int MaxRetries { get; init; }
    public TlsClientOptions? Tls { get; init; }
    public RedisHighAvailabilityOptions? HighAvailability { get; init; }

    public int EffectivePort() => Port ?? (HighAvailability is null ? DefaultPort : SentinelPort);
}
