using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using Portal.Configuration;
using Portal.Infrastructure;
using Portal.Session;
using StackExchange.Redis;

namespace Portal.Tests.Session;

public sealed class RedisConfigurationTests
{
    [Fact]
    public void Options_map_to_a_fail_fast_client_that_never_aborts_on_connect_failure()
    {
        var config = RedisSessionStore.BuildConfiguration(new RedisOptions
        {
            Host = "redis.internal", Port = 6380, Username = "portal", Password = "pw", DatabaseIndex = 3,
            Timeout = TimeSpan.FromSeconds(2),
        });

        Assert.False(config.AbortOnConnectFail);
        Assert.Same(BacklogPolicy.FailFast, config.BacklogPolicy);
        Assert.Equal(2000, config.AsyncTimeout);
        Assert.Equal(2000, config.ConnectTimeout);
        Assert.Equal(3, config.DefaultDatabase);
        Assert.Equal("portal", config.User);
        Assert.Equal("pw", config.Password);
        Assert.False(config.Ssl);
        var endpoint = Assert.IsType<DnsEndPoint>(Assert.Single(config.EndPoints));
        Assert.Equal(("redis.internal", 6380), (endpoint.Host, endpoint.Port));
    }

    [Fact]
    public void Absolute_host_is_a_unix_socket()
    {
        var config = RedisSessionStore.BuildConfiguration(new RedisOptions { Host = "/run/redis/redis.sock" });

        var endpoint = Assert.IsType<UnixDomainSocketEndPoint>(Assert.Single(config.EndPoints));
        Assert.Equal("/run/redis/redis.sock", endpoint.ToString());
    }

    [Fact]
    public void Tls_server_name_defaults_to_the_host_and_minimum_version_is_honoured()
    {
        var defaults = RedisSessionStore.BuildConfiguration(
            new RedisOptions { Host = "redis.internal", Tls = new TlsClientOptions() });
        var pinned = RedisSessionStore.BuildConfiguration(new RedisOptions
        {
            Host = "10.0.0.5", Tls = new TlsClientOptions { ServerName = "redis.internal", MinimumVersion = "TLS1.3" },
        });

        Assert.True(defaults.Ssl);
        Assert.Equal("redis.internal", defaults.SslHost);
        Assert.Equal(SslProtocols.None, defaults.SslProtocols);
        Assert.Equal("redis.internal", pinned.SslHost);
        Assert.Equal(SslProtocols.Tls13, pinned.SslProtocols);
    }
}
