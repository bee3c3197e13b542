namespace Portal.Session;

/// <summary><c>session.redis.high_availability</c>: Redis Sentinel, with Authelia's keys.</summary>
internal sealed class RedisHighAvailabilityOptions
{
    public string SentinelName { get; init; } = "";
    public string SentinelUsername { get; init; } = "";
    public string SentinelPassword { get; init; } = "";
    public IReadOnlyList<RedisNodeOptions> Nodes { get; init; } = [];
    public bool RouteByLatency { get; init; }
    public bool RouteRandomly { get; init; }
}
