using System.ComponentModel;
using Portal.Configuration;
using Portal.Infrastructure;

namespace Portal.Session;

internal sealed class RedisOptions
{
    public const int DefaultPort = 6379;

    /// <summary>Sentinel's port, the default of <see cref="Port"/> under <see cref="HighAvailability"/> (as Authelia).</summary>
    public const int SentinelPort = 26379;

    /// <summary>The Redis server; under <see cref="HighAvailability"/> the first Sentinel (Authelia's reading).</summary>
    [Description("Redis host, or an absolute path to a unix socket; with high_availability, the first Sentinel.")]
    public string Host { get; init; } = "";

    /// <summary>Unset: 6379, or 26379 under <see cref="HighAvailability"/>; read it through <see cref="EffectivePort"/>.</summary>
    [Description("Redis port (6379; 26379 for a Sentinel).")]
    public int? Port { get; init; }
    [Description("Redis ACL user.")]
    public string Username { get; init; } = "";
    [Description("Redis password; prefer PORTAL_SESSION_REDIS_PASSWORD_FILE.")]
    public string Password { get; init; } = "";
    [Description("Redis database number.")]
    public int DatabaseIndex { get; init; }
    [Description("Connection pool size.")]
    public int MaximumActiveConnections { get; init; } = 8;
    [Description("Connections kept open while idle.")]
    public int MinimumIdleConnections { get; init; }
    [Description("Connect and command timeout.")]
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);
    [Description("Retries of a failed command.")]
    public int MaxRetries { get; init; }
    [Description("Connect over TLS.")]
    public TlsClientOptions? Tls { get; init; }
    [Description("Redis Sentinel: the client finds the primary of 'sentinel_name' and follows failovers without a restart.")]
    public RedisHighAvailabilityOptions? HighAvailability { get; init; }

    public int EffectivePort() => Port ?? (HighAvailability is null ? DefaultPort : SentinelPort);
}
