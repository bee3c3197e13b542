namespace Portal.Configuration;

/// <summary>One Sentinel of <c>session.redis.high_availability.nodes</c>.</summary>
internal sealed class RedisNodeOptions
{
    public string Host { get; set; } = "";
    public int Port { get; set; } = RedisOptions.SentinelPort;
}
