namespace Portal.Session;

/// <summary>One Sentinel of <c>session.redis.high_availability.nodes</c>.</summary>
internal sealed class RedisNodeOptions
{
    public string Host { get; init; } = "";
    public int Port { get; init; } = RedisOptions.SentinelPort;
}
