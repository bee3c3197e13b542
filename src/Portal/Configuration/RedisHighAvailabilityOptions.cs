namespace Portal.Configuration;

/// <summary><c>session.redis.high_availability</c>: Redis Sentinel, with Authelia's keys.</summary>
internal sealed class RedisHighAvailabilityOptions
{
    public string SentinelName { get; set; } = "";
    public string SentinelUsername { get; set; } = "";
    public string SentinelPassword { get; set; } = "";
    public List<RedisNodeOptions> Nodes { get; set; } = [];
    public bool RouteByLatency { get; set; }
    public bool RouteRandomly { get; set; }
}
