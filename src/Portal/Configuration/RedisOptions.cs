namespace Portal.Configuration;

internal sealed class RedisOptions
{
    public const int DefaultPort = 6379;

    /// <summary>Sentinel's port, the default of <see cref="Port"/> under <see cref="HighAvailability"/> (as Authelia).</summary>
    public const int SentinelPort = 26379;

    /// <summary>The Redis server; under <see cref="HighAvailability"/> the first Sentinel (Authelia's reading).</summary>
    public string Host { get; set; } = "";

    /// <summary>Unset: 6379, or 26379 under <see cref="HighAvailability"/>; read it through <see cref="EffectivePort"/>.</summary>
    public int? Port { get; set; }
    public string Username { get; set; } = "";
    public string Password { get; set; } = "";
    public int DatabaseIndex { get; set; }
    public int MaximumActiveConnections { get; set; } = 8;
    public int MinimumIdleConnections { get; set; }
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);
    public int MaxRetries { get; set; }
    public TlsClientOptions? Tls { get; set; }
    public RedisHighAvailabilityOptions? HighAvailability { get; set; }

    public int EffectivePort => Port ?? (HighAvailability is null ? DefaultPort : SentinelPort);
}
