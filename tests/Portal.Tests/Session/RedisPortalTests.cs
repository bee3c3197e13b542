using System.Globalization;
using System.Net;
using Portal.Tests.Support;

namespace Portal.Tests.Session;

/// <summary>The portal with <c>session.redis</c> against a real redis-server: what an admin running several nodes relies on.</summary>
[Trait("Category", "Integration")]
public sealed class RedisPortalTests : IDisposable
{
    private readonly RedisServerFixture _redis = new();

    private string RedisYaml => _redis.SessionYaml();

    public void Dispose() => _redis.Dispose();

    [Fact]
    public async Task A_session_survives_a_portal_restart()
    {
        string cookie;
        await using (var first = await PortalTestHost.StartAsync(RedisYaml))
        {
            cookie = await first.LoginAsync("john");
            using var before = await first.ForwardAuthAsync("https://app.example.com/", cookie: cookie);
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        await using var second = await PortalTestHost.StartAsync(RedisYaml);
        using var after = await second.ForwardAuthAsync("https://app.example.com/", cookie: cookie);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal("john", PortalTestHost.Header(after, "Remote-User"));
    }

    [Fact]
    public async Task Authz_fails_closed_while_redis_is_down_and_recovers_by_itself()
    {
        await using var portal = await PortalTestHost.StartAsync(RedisYaml);
        var cookie = await portal.LoginAsync("john");

        _redis.Stop();
        using (var down = await portal.ForwardAuthAsync("https://app.example.com/", cookie: cookie))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
            Assert.Null(PortalTestHost.Header(down, "Remote-User"));
        }
        using (var nginxShape = await portal.AuthRequestAsync("https://app.example.com/", cookie: cookie))
        {
            Assert.NotEqual(HttpStatusCode.OK, nginxShape.StatusCode);
        }
        using (var login = await portal.FirstFactorAsync("john", PortalTestHost.Password))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, login.StatusCode);
        }
        // A bypass rule has no subject, so it is the same for everyone: no session needed to answer it.
        using (var bypass = await portal.ForwardAuthAsync("https://public.example.com/"))
        {
            Assert.Equal(HttpStatusCode.OK, bypass.StatusCode);
        }

        _redis.Start();
        // Redis ran without persistence, so the old session is gone; what must come back is the portal itself.
        var fresh = await Eventually.ValueAsync("a sign-in once Redis is back", async () =>
        {
            using var retry = await portal.FirstFactorAsync("john", PortalTestHost.Password);
            return retry.StatusCode == HttpStatusCode.OK ? PortalTestHost.SessionCookie(retry) : null;
        });
        using var recovered = await portal.ForwardAuthAsync("https://app.example.com/", cookie: fresh);
        Assert.Equal(HttpStatusCode.OK, recovered.StatusCode);
    }

    [Fact]
    public async Task Two_nodes_on_one_redis_share_sessions_and_a_logout_on_one_is_refused_by_the_other()
    {
        await using var first = await PortalTestHost.StartAsync(RedisYaml);
        await using var second = await PortalTestHost.StartAsync(RedisYaml);
        var cookie = await first.LoginAsync("john");
        // The second node has read (and keeps for a moment) the session the first one made.
        for (var i = 0; i < 3; i++)
        {
            using var allowed = await second.ForwardAuthAsync("https://app.example.com/", cookie: cookie);
            Assert.Equal("john", PortalTestHost.Header(allowed, "Remote-User"));
        }

        using (var logout = new HttpRequestMessage(HttpMethod.Post, "/api/logout"))
        {
            logout.Headers.Host = "auth.example.com";
            logout.Headers.Add("X-Forwarded-Proto", "https");
            logout.Headers.Add("Cookie", $"authelia_session={cookie}");
            using var response = await first.Client.SendAsync(logout);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // Announced over Redis, so in practice at once (RedisSessionCacheTests proves that with caches that would
        // otherwise keep the session for minutes); here what matters is that the other node does refuse it.
        await Eventually.UntilAsync("the other node to refuse the signed-out session", async () =>
        {
            using var after = await second.ForwardAuthAsync("https://app.example.com/", cookie: cookie);
            return after.StatusCode == HttpStatusCode.Found;
        });
    }
}
