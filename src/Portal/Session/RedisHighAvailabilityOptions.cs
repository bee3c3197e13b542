using System.ComponentModel;
namespace Portal.Session;

/// <summary><c>session.redis.high_availability</c>: Redis Sentinel, with Authelia's keys.</summary>
internal sealed class RedisHighAvailabilityOptions
{
    [Description("The Sentinel master name. Required.")]
    public string SentinelName { get; init; } = "";
    [Description("Sentinel ACL user.")]
    public string SentinelUsername { get; init; } = "";
    [Description("Sentinel password; prefer PORTAL_SESSION_REDIS_HIGH_AVAILABILITY_SENTINEL_PASSWORD_FILE.")]
    public string SentinelPassword { get; init; } = "";
    [Description("Further Sentinels.")]
    public IReadOnlyList<RedisNodeOptions> Nodes { get; init; } = [];
    [Description("Accepted for Authelia files and ignored: sessions are read from the primary.")]
    public bool RouteByLatency { get; init; }
    [Description("Accepted for Authelia files and ignored: sessions are read from the primary.")]
    public bool RouteRandomly { get; init; }
}
