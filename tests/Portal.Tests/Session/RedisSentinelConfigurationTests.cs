using System.Net;
using Portal.Configuration;
using Portal.Session;
using Portal.Tests.Configuration;

namespace Portal.Tests.Session;

/// <summary><c>session.redis.high_availability</c> as Authelia names it: validation with YAML paths, and the client it makes.</summary>
public sealed class RedisSentinelConfigurationTests
{
    private const string Base = "session:\n  secret: 'a-long-random-session-secret-for-tests'\n  redis:\n    host: 'sentinel-a'\n    high_availability:\n";

    private static ConfigLoadResult Load(string highAvailabilityYaml) => ConfigLoaderTests.LoadOverMinimal(Base + highAvailabilityYaml);

    [Fact]
    public void Sentinels_and_the_service_name_map_to_a_sentinel_managed_client()
    {
        var result = Load("      sentinel_name: 'portal-ha'\n      sentinel_username: 'watcher'\n      sentinel_password: 'sentinel-pw'\n"
            + "      nodes:\n        - host: 'sentinel-b'\n        - host: 'sentinel-c'\n          port: 26380\n");
        Assert.Empty(result.Diagnostics.Errors);

        var config = RedisSessionStore.BuildConfiguration(result.Options.Session.Redis!);

        Assert.Equal("portal-ha", config.ServiceName);
        Assert.Equal("watcher", config.SentinelUser);
        Assert.Equal("sentinel-pw", config.SentinelPassword);
        Assert.Equal(
            [("sentinel-a", 26379), ("sentinel-b", 26379), ("sentinel-c", 26380)],
            config.EndPoints.Cast<DnsEndPoint>().Select(e => (e.Host, e.Port)));
    }

    [Fact]
    public void Without_high_availability_the_port_stays_redis_own()
    {
        var result = ConfigLoaderTests.LoadOverMinimal("session:\n  secret: 'a-long-random-session-secret-for-tests'\n  redis:\n    host: 'redis.internal'\n");

        var endpoint = Assert.IsType<DnsEndPoint>(Assert.Single(RedisSessionStore.BuildConfiguration(result.Options.Session.Redis!).EndPoints));

        Assert.Equal(6379, endpoint.Port);
        Assert.Null(RedisSessionStore.BuildConfiguration(result.Options.Session.Redis!).ServiceName);
    }

    [Theory]
    [InlineData("      sentinel_username: 'watcher'\n", "session: redis: high_availability: option 'sentinel_name' is required")]
    [InlineData("      sentinel_name: 'portal-ha'\n      sentinel_username: 'watcher'\n", "session: redis: high_availability: option 'sentinel_password' is required when 'sentinel_username' is set")]
    [InlineData("      sentinel_name: 'portal-ha'\n      nodes:\n        - port: 26379\n", "session: redis: high_availability: nodes[0]: option 'host' is required")]
    [InlineData("      sentinel_name: 'portal-ha'\n      nodes:\n        - host: 'b'\n        - host: 'c'\n          port: 70000\n", "session: redis: high_availability: nodes[1]: option 'port' must be between 1 and 65535 but is '70000'")]
    [InlineData("      sentinel_name: 'portal-ha'\n      nodes:\n        - host: '/run/sentinel.sock'\n", "session: redis: high_availability: nodes[0]: option 'host' must be a host name or address, not a unix socket")]
    public void Mistakes_are_reported_with_their_yaml_path(string yaml, string expectedStart)
    {
        var errors = Load(yaml).Diagnostics.Errors.Select(e => e.ToString()).ToList();

        Assert.Contains(errors, e => e.StartsWith(expectedStart, StringComparison.Ordinal));
    }

    [Fact]
    public void Routing_reads_to_replicas_is_refused_with_a_warning()
    {
        var result = Load("      sentinel_name: 'portal-ha'\n      route_by_latency: true\n");

        Assert.Empty(result.Diagnostics.Errors);
        Assert.Contains(result.Diagnostics.Warnings, w => w.ToString().StartsWith(
            "session: redis: high_availability: option 'route_by_latency' is ignored: sessions are read from the primary", StringComparison.Ordinal));
    }

    [Fact]
    public void High_availability_is_no_longer_reported_as_unsupported()
    {
        var result = Load("      sentinel_name: 'portal-ha'\n");

        Assert.Empty(result.Diagnostics.Errors);
        Assert.DoesNotContain(result.Diagnostics.Warnings, w => w.ToString().Contains("not supported", StringComparison.Ordinal));
    }
}
