using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Configuration;
using Portal.Session;
using Portal.Tests.Support;

namespace Portal.Tests.Session;

/// <summary>
/// Two portal nodes on one real Redis, each with its read cache (what forward-auth reads, <c>LoadRecentAsync</c>): a write on one node reaches the other through the
/// invalidation channel at once (the caches here are given an age limit of minutes, so only the message can explain
/// it), and a cached read costs no Redis command.
/// </summary>
[Trait("Category", "Integration")]
public sealed class RedisSessionCacheTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private const string Secret = "a-long-random-session-secret-for-tests";
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(5);

    private Task<RedisSessionStore> Node(TimeSpan maxAge) =>
        RedisSessionStore.ConnectAsync(
            new RedisOptions { Host = "127.0.0.1", Port = redis.Port, Timeout = TimeSpan.FromSeconds(2) },
            Secret, NullLogger<RedisSessionStore>.Instance, maxAge);

    private static Task Active(RedisSessionStore node) =>
        Eventually.UntilAsync("the node to subscribe to session changes", () => node.Cache.IsActive);

    [Fact]
    public async Task A_cached_read_asks_redis_nothing()
    {
        await using var node = await Node(TimeSpan.FromMinutes(5));
        await Active(node);
        var id = SessionIds.New();
        await node.SaveAsync(id, InMemorySessionStoreTests.SampleSession(), Ttl, CancellationToken.None);
        Assert.NotNull(await node.LoadRecentAsync(id, CancellationToken.None));
        var before = GetCalls();

        for (var i = 0; i < 50; i++)
        {
            Assert.Equal("alice", (await node.LoadRecentAsync(id, CancellationToken.None))?.Username);
        }

        Assert.Equal(before, GetCalls());
    }

    [Fact]
    public async Task A_busy_session_is_read_again_in_the_background_once_before_its_copy_expires()
    {
        await using var node = await Node(TimeSpan.FromSeconds(2));
        await Active(node);
        var id = SessionIds.New();
        await node.SaveAsync(id, InMemorySessionStoreTests.SampleSession(), Ttl, CancellationToken.None);
        Assert.NotNull(await node.LoadRecentAsync(id, CancellationToken.None));
        var before = GetCalls();

        await Task.Delay(TimeSpan.FromSeconds(1.2));
        for (var i = 0; i < 20; i++)
        {
            Assert.NotNull(await node.LoadRecentAsync(id, CancellationToken.None));
        }

        await Eventually.UntilAsync("the background read", () => GetCalls() == before + 1, Prompt);
        Assert.Equal(before + 1, GetCalls());
    }

    [Fact]
    public async Task Requests_that_miss_together_share_one_read_of_redis_and_each_get_their_own_copy()
    {
        await using var node = await Node(TimeSpan.FromMinutes(5));
        await Active(node);
        var id = SessionIds.New();
        await node.SaveAsync(id, InMemorySessionStoreTests.SampleSession(), Ttl, CancellationToken.None);
        var before = GetCalls();

        var sessions = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(() => node.LoadRecentAsync(id, CancellationToken.None))));

        Assert.Equal(before + 1, GetCalls());
        Assert.All(sessions, s => Assert.Equal("alice", s?.Username));
        Assert.Equal(32, sessions.Distinct().Count());
    }

    [Fact]
    public async Task The_portals_own_reads_see_a_change_made_on_another_node_a_moment_ago()
    {
        // A ceremony begun on one node, finished on the other within milliseconds: no invalidation may be awaited.
        await using var first = await Node(TimeSpan.FromMinutes(5));
        await using var second = await Node(TimeSpan.FromMinutes(5));
        await Task.WhenAll(Active(first), Active(second));
        var id = SessionIds.New();
        var session = InMemorySessionStoreTests.SampleSession();
        session.WebAuthnCeremony = null;
        await first.SaveAsync(id, session, Ttl, CancellationToken.None);
        Assert.Null((await second.LoadRecentAsync(id, CancellationToken.None))?.WebAuthnCeremony);

        session.WebAuthnCeremony = new WebAuthnCeremony { Kind = WebAuthnCeremonyKind.Assertion, State = "begun" };
        await first.SaveAsync(id, session, Ttl, CancellationToken.None);

        Assert.Equal("begun", (await second.LoadAsync(id, CancellationToken.None))?.WebAuthnCeremony?.State);
    }

    [Fact]
    public async Task A_logout_on_one_node_signs_the_session_out_on_the_other_at_once()
    {
        await using var first = await Node(TimeSpan.FromMinutes(5));
        await using var second = await Node(TimeSpan.FromMinutes(5));
        await Task.WhenAll(Active(first), Active(second));
        var id = SessionIds.New();
        await first.SaveAsync(id, InMemorySessionStoreTests.SampleSession(), Ttl, CancellationToken.None);
        Assert.NotNull(await second.LoadRecentAsync(id, CancellationToken.None));
        Assert.NotNull(await second.LoadRecentAsync(id, CancellationToken.None));

        await first.DeleteAsync(id, CancellationToken.None);

        await Eventually.UntilAsync("the other node to drop the session",
            async () => await second.LoadRecentAsync(id, CancellationToken.None) is null, Prompt);
    }

    [Fact]
    public async Task A_change_on_one_node_is_read_by_the_other_at_once()
    {
        await using var first = await Node(TimeSpan.FromMinutes(5));
        await using var second = await Node(TimeSpan.FromMinutes(5));
        await Task.WhenAll(Active(first), Active(second));
        var id = SessionIds.New();
        var session = InMemorySessionStoreTests.SampleSession();
        await first.SaveAsync(id, session, Ttl, CancellationToken.None);
        Assert.Null((await second.LoadRecentAsync(id, CancellationToken.None))?.SecondFactorAuthnTimestamp);

        session.SetTwoFactorTotp(session.CreatedAt.AddMinutes(1));
        await first.SaveAsync(id, session, Ttl, CancellationToken.None);

        await Eventually.UntilAsync("the other node to read the second factor",
            async () => (await second.LoadRecentAsync(id, CancellationToken.None))?.SecondFactorAuthnTimestamp is not null, Prompt);
    }

    [Fact]
    public async Task A_write_behind_the_portals_back_is_read_once_the_age_limit_passes()
    {
        await using var node = await Node(TimeSpan.FromMilliseconds(300));
        await Active(node);
        var id = SessionIds.New();
        await node.SaveAsync(id, InMemorySessionStoreTests.SampleSession(), Ttl, CancellationToken.None);
        Assert.NotNull(await node.LoadRecentAsync(id, CancellationToken.None));

        redis.RawCommand("DEL", RedisSessionStore.KeyPrefix + id);

        await Eventually.UntilAsync("the node to read the deletion",
            async () => await node.LoadRecentAsync(id, CancellationToken.None) is null, Prompt);
    }

    [Fact]
    public async Task A_node_whose_subscription_was_cut_subscribes_again_and_hears_changes()
    {
        await using var first = await Node(TimeSpan.FromMinutes(5));
        await using var second = await Node(TimeSpan.FromMinutes(5));
        await Task.WhenAll(Active(first), Active(second));

        redis.RawCommand("CLIENT", "KILL", "TYPE", "pubsub");
        await Eventually.UntilAsync("both nodes to subscribe again", () => first.Cache.IsActive && second.Cache.IsActive);
        var id = SessionIds.New();
        await first.SaveAsync(id, InMemorySessionStoreTests.SampleSession(), Ttl, CancellationToken.None);
        Assert.NotNull(await second.LoadRecentAsync(id, CancellationToken.None));
        await first.DeleteAsync(id, CancellationToken.None);

        await Eventually.UntilAsync("the other node to drop the session",
            async () => await second.LoadRecentAsync(id, CancellationToken.None) is null, Prompt);
    }

    private long GetCalls()
    {
        var stats = Encoding.ASCII.GetString(redis.RawCommand("INFO", "commandstats"));
        var line = stats.Split('\n').FirstOrDefault(l => l.StartsWith("cmdstat_get:", StringComparison.Ordinal));
        if (line is null)
        {
            return 0;
        }
        var calls = line.Split(':', 2)[1].Split(',')[0];
        return long.Parse(calls.Split('=')[1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
