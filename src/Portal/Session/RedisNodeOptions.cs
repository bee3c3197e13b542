using System.ComponentModel;
namespace Portal.Session;

/// <summary>One Sentinel of <c>session.redis.high_availability.nodes</c>.</summary>
internal sealed class RedisNodeOptions
{
    [Description("Sentinel host.")]
    public string Host { get; init; } = "";
    [Description("Sentinel port.")]
    public int Port { get; init; } = RedisOptions.SentinelPort;
}
