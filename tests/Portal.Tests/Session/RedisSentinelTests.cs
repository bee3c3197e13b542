using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Configuration;
using Portal.Session;
using Portal.Tests.Support;

namespace Portal.Tests.Session;

/// <summary>
/// <c>session.redis.high_availability</c> against a real primary, replica and Sentinel: the portal finds the primary
/// through Sentinel, and when the primary dies and Sentinel promotes the replica, signed-in users stay signed in
/// without a restart, while nothing is let through for a session that does not exist.
/// </summary>
[Trait("Category", "Integration")]
public sealed class RedisSentinelTests : IDisposable
{
    private readonly RedisSentinelCluster _cluster = new();

    private string SentinelYaml => RedisServerFixture.SessionYaml(_cluster.Sentinel.Port, "1s",
        $"    high_availability:\n      sentinel_name: '{RedisSentinelCluster.Name}'\n");

    public void Dispose() => _cluster.Dispose();

    [Fact]
    public async Task Sessions_live_on_the_primary_that_sentinel_names()
    {
        await using var portal = await PortalTestHost.StartAsync(SentinelYaml);

        var cookie = await portal.LoginAsync("john");

        using var allowed = await portal.ForwardAuthAsync("https://app.example.com/", cookie: cookie);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        var keys = System.Text.Encoding.ASCII.GetString(_cluster.Primary.RawCommand("KEYS", RedisSessionStore.KeyPrefix + "*"));
        Assert.Contains(RedisSessionStore.KeyPrefix, keys, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_signed_in_user_stays_signed_in_across_a_failover_and_no_unknown_session_is_let_through()
    {
        await using var portal = await PortalTestHost.StartAsync(SentinelYaml);
        var cookie = await portal.LoginAsync("john");
        _cluster.WaitForReplication();
        var stranger = SessionIds.New();
        var strangerAnswers = new ConcurrentBag<HttpStatusCode>();
        var userAnswers = new ConcurrentBag<HttpStatusCode>();

        _cluster.Primary.Stop();
        using var done = new CancellationTokenSource();
        var probe = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                using (var unknown = await portal.ForwardAuthAsync("https://app.example.com/", cookie: stranger))
                {
                    strangerAnswers.Add(unknown.StatusCode);
                }
                using (var user = await portal.ForwardAuthAsync("https://app.example.com/", cookie: cookie))
                {
                    userAnswers.Add(user.StatusCode);
                }
                await Task.Delay(50);
            }
        });
        await Eventually.UntilAsync("Sentinel to promote the replica", () => _cluster.CurrentPrimaryPort() == _cluster.Replica.Port,
            TimeSpan.FromSeconds(60));
        await Eventually.UntilAsync("the portal to reach the new primary with the old session", async () =>
        {
            using var after = await portal.ForwardAuthAsync("https://app.example.com/", cookie: cookie);
            return after.StatusCode == HttpStatusCode.OK && PortalTestHost.Header(after, "Remote-User") == "john";
        }, TimeSpan.FromSeconds(60));
        await done.CancelAsync();
        await probe;

        // During the switch: a session nobody has is never allowed, and john's is never dropped: it is read from the
        // replica while no primary answers, or refused with 503 while nothing does.
        Assert.NotEmpty(strangerAnswers);
        Assert.DoesNotContain(HttpStatusCode.OK, strangerAnswers);
        Assert.All(userAnswers, s => Assert.Contains(s, new[] { HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable }));
        // Writes go to the new primary too: a new sign-in works.
        var fresh = await Eventually.ValueAsync("a sign-in on the new primary", async () =>
        {
            using var login = await portal.FirstFactorAsync("bob", PortalTestHost.Password);
            return login.StatusCode == HttpStatusCode.OK ? PortalTestHost.SessionCookie(login) : null;
        });
        using var bob = await portal.ForwardAuthAsync("https://app.example.com/", cookie: fresh);
        Assert.Equal("bob", PortalTestHost.Header(bob, "Remote-User"));
    }

    [Fact]
    public async Task After_a_failover_the_node_reads_from_the_new_primary_and_its_read_cache_turns_back_on()
    {
        await using var store = await RedisSessionStore.ConnectAsync(new RedisOptions
        {
            Host = "127.0.0.1", Port = _cluster.Sentinel.Port, Timeout = TimeSpan.FromSeconds(1),
            HighAvailability = new RedisHighAvailabilityOptions { SentinelName = RedisSentinelCluster.Name },
        }, "a-long-random-session-secret-for-tests", NullLogger<RedisSessionStore>.Instance);
        await Eventually.UntilAsync("the node to subscribe to session changes", () => store.Cache.IsActive);
        var id = SessionIds.New();
        await store.SaveAsync(id, InMemorySessionStoreTests.SampleSession(), TimeSpan.FromMinutes(5), CancellationToken.None);
        _cluster.WaitForReplication();

        _cluster.Primary.Stop();
        await Eventually.UntilAsync("Sentinel to promote the replica", () => _cluster.CurrentPrimaryPort() == _cluster.Replica.Port,
            TimeSpan.FromSeconds(60));
        await Eventually.UntilAsync("the node to write to the new primary", async () =>
        {
            await store.SaveAsync(SessionIds.New(), InMemorySessionStoreTests.SampleSession(), TimeSpan.FromMinutes(5), CancellationToken.None);
            return true;
        }, TimeSpan.FromSeconds(60), retryOn: e => e is SessionStoreUnavailableException);

        await Eventually.UntilAsync("the read cache to turn back on", () => store.Cache.IsActive, TimeSpan.FromSeconds(30));
        Assert.Equal("alice", (await store.LoadAsync(id, CancellationToken.None))?.Username);
    }
}
