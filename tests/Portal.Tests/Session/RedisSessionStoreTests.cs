using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Configuration;
using Portal.Session;
using Portal.Tests.Support;

namespace Portal.Tests.Session;

[Trait("Category", "Integration")]
public sealed class RedisSessionStoreTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>, IAsyncLifetime
{
    private const string Secret = "a-long-random-session-secret-for-tests";
    private RedisSessionStore _store = null!;

    public async Task InitializeAsync() => _store = await Connect(Secret);

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private Task<RedisSessionStore> Connect(string secret) =>
        RedisSessionStore.ConnectAsync(
            new RedisOptions { Host = "127.0.0.1", Port = redis.Port, Timeout = TimeSpan.FromSeconds(2) },
            secret, NullLogger<RedisSessionStore>.Instance);

    [Fact]
    public Task A_refresh_gives_way_to_a_save_made_since_it_loaded() => ConditionalSaveContract.A_refresh_gives_way_to_a_save_made_since_it_loaded(_store);

    [Fact]
    public Task A_refresh_of_an_unchanged_session_is_stored() => ConditionalSaveContract.A_refresh_of_an_unchanged_session_is_stored(_store);

    [Fact]
    public Task A_refresh_does_not_bring_back_a_deleted_session() => ConditionalSaveContract.A_refresh_does_not_bring_back_a_deleted_session(_store);

    [Fact]
    public Task A_users_signed_in_sessions_are_listed_and_no_one_elses() => UserSessionIndexContract.A_users_signed_in_sessions_are_listed_and_no_one_elses(_store);

    [Fact]
    public Task A_deleted_session_is_no_longer_listed() => UserSessionIndexContract.A_deleted_session_is_no_longer_listed(_store);

    [Fact]
    public Task Revoking_by_handle_ends_that_session_only_and_everywhere_keeps_the_current_one() => UserSessionIndexContract.Revoking_by_handle_ends_that_session_only_and_everywhere_keeps_the_current_one(_store);

    [Fact]
    public async Task A_users_index_lives_at_least_as_long_as_the_session_it_lists()
    {
        var id = SessionIds.New();
        var session = InMemorySessionStoreTests.SampleSession();
        await _store.SaveAsync(id, session, TimeSpan.FromSeconds(300), CancellationToken.None);
        var loaded = (await _store.LoadAsync(id, CancellationToken.None))!;
        Assert.True(await _store.SaveIfUnchangedAsync(id, loaded, TimeSpan.FromSeconds(7200), CancellationToken.None));

        var index = Encoding.ASCII.GetString(redis.RawCommand("TTL", RedisSessionStore.UserIndexPrefix + "alice"));

        Assert.InRange(long.Parse(index.TrimStart(':').TrimEnd(), System.Globalization.CultureInfo.InvariantCulture), 7000, 7200);
    }

    [Fact]
    public async Task Saved_session_round_trips_through_redis()
    {
        var id = SessionIds.New();

        await _store.SaveAsync(id, InMemorySessionStoreTests.SampleSession(), TimeSpan.FromMinutes(5), CancellationToken.None);
        var loaded = await _store.LoadAsync(id, CancellationToken.None);

        Assert.NotNull(loaded);
        Assert.Equal("alice", loaded.Username);
        Assert.Equal(["alice@example.com"], loaded.Emails);
        Assert.True(loaded.AuthenticationMethods.WebAuthnUserVerified);
        Assert.Equal("opaque-state", loaded.WebAuthnCeremony?.State);
    }

    [Fact]
    public async Task Every_save_applies_the_ttl_in_redis()
    {
        var id = SessionIds.New();
        await _store.SaveAsync(id, InMemorySessionStoreTests.SampleSession(), TimeSpan.FromSeconds(300), CancellationToken.None);
        var first = Ttl(id);

        await _store.SaveAsync(id, InMemorySessionStoreTests.SampleSession(), TimeSpan.FromSeconds(7200), CancellationToken.None);
        var second = Ttl(id);

        Assert.InRange(first, 1, 300);
        Assert.InRange(second, 301, 7200);
    }

    [Fact]
    public async Task Stored_value_is_encrypted_at_rest()
    {
        var id = SessionIds.New();
        await _store.SaveAsync(id, InMemorySessionStoreTests.SampleSession(), TimeSpan.FromMinutes(5), CancellationToken.None);

        var raw = redis.RawCommand("GET", RedisSessionStore.KeyPrefix + id);

        Assert.StartsWith("$", Encoding.ASCII.GetString(raw, 0, 1), StringComparison.Ordinal);
        Assert.True(raw.Length > 100, "expected a stored value");
        var text = Encoding.Latin1.GetString(raw);
        Assert.DoesNotContain("alice", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("opaque-state", text, StringComparison.Ordinal);
        Assert.DoesNotContain("username", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Value_written_with_another_secret_reads_as_no_session()
    {
        var id = SessionIds.New();
        await using (var other = await Connect("a-completely-different-session-secret"))
        {
            await other.SaveAsync(id, InMemorySessionStoreTests.SampleSession(), TimeSpan.FromMinutes(5), CancellationToken.None);
            Assert.NotNull(await other.LoadAsync(id, CancellationToken.None));
        }

        Assert.Null(await _store.LoadAsync(id, CancellationToken.None));
    }

    [Fact]
    public async Task Value_copied_under_another_id_reads_as_no_session()
    {
        var victim = SessionIds.New();
        var attacker = SessionIds.New();
        await _store.SaveAsync(victim, InMemorySessionStoreTests.SampleSession(), TimeSpan.FromMinutes(5), CancellationToken.None);

        redis.RawCommand("COPY", RedisSessionStore.KeyPrefix + victim, RedisSessionStore.KeyPrefix + attacker);

        Assert.NotNull(await _store.LoadAsync(victim, CancellationToken.None));
        Assert.Null(await _store.LoadAsync(attacker, CancellationToken.None));
    }

    [Fact]
    public async Task Garbage_value_reads_as_no_session()
    {
        var id = SessionIds.New();
        redis.RawCommand("SET", RedisSessionStore.KeyPrefix + id, "{\"username\":\"alice\"}");

        Assert.Null(await _store.LoadAsync(id, CancellationToken.None));
    }

    [Fact]
    public async Task Session_survives_a_new_store_instance()
    {
        var id = SessionIds.New();
        await _store.SaveAsync(id, InMemorySessionStoreTests.SampleSession(), TimeSpan.FromMinutes(5), CancellationToken.None);

        await using var restarted = await Connect(Secret);

        Assert.Equal("alice", (await restarted.LoadAsync(id, CancellationToken.None))?.Username);
    }

    [Fact]
    public async Task Deleted_session_is_removed_from_redis()
    {
        var id = SessionIds.New();
        await _store.SaveAsync(id, InMemorySessionStoreTests.SampleSession(), TimeSpan.FromMinutes(5), CancellationToken.None);

        await _store.DeleteAsync(id, CancellationToken.None);

        Assert.Null(await _store.LoadAsync(id, CancellationToken.None));
        Assert.Equal(":0\r\n", Encoding.ASCII.GetString(redis.RawCommand("EXISTS", RedisSessionStore.KeyPrefix + id)));
    }

    private long Ttl(string id)
    {
        var reply = Encoding.ASCII.GetString(redis.RawCommand("TTL", RedisSessionStore.KeyPrefix + id));
        return long.Parse(reply.TrimStart(':').TrimEnd(), System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>Stops and restarts its own Redis, so it has a fixture of its own.</summary>
[Trait("Category", "Integration")]
public sealed class RedisSessionStoreOutageTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Store_throws_unavailable_while_redis_is_down_and_recovers_when_it_is_back()
    {
        await using var store = await RedisSessionStore.ConnectAsync(
            new RedisOptions { Host = "127.0.0.1", Port = redis.Port, Timeout = Timeout },
            "a-long-random-session-secret-for-tests", NullLogger<RedisSessionStore>.Instance);
        var id = SessionIds.New();
        // On a loaded machine the first connect can outlast the short timeout; the store then connects in the
        // background, which is the behaviour under test later on, so wait for it rather than assume it.
        await RoundTripOnceConnectedAsync(store, id, "the store to connect to Redis");

        redis.Stop();
        try
        {
            // Each call must fail with the specific exception, and do so on its own (bounded by the store's timeout):
            // the test's cancellation token is only a backstop that would surface as a different exception.
            using var backstop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await Assert.ThrowsAsync<SessionStoreUnavailableException>(() => store.LoadAsync(id, backstop.Token));
            await Assert.ThrowsAsync<SessionStoreUnavailableException>(
                () => store.SaveAsync(id, new UserSession(), TimeSpan.FromMinutes(5), backstop.Token));
            await Assert.ThrowsAsync<SessionStoreUnavailableException>(() => store.DeleteAsync(id, backstop.Token));
        }
        finally
        {
            redis.Start();
        }

        // The server restarted empty (no persistence): the same instance must reconnect by itself and work again.
        var recovered = await RoundTripOnceConnectedAsync(store, id, "the store to reconnect to the restarted Redis");
        Assert.Equal("alice", recovered.Username);
    }

    [Fact]
    public async Task Store_created_while_redis_is_unreachable_throws_unavailable_instead_of_failing_to_start()
    {
        var unusedPort = LoopbackPort.Free();

        await using var store = await RedisSessionStore.ConnectAsync(
            new RedisOptions { Host = "127.0.0.1", Port = unusedPort, Timeout = Timeout },
            "a-long-random-session-secret-for-tests", NullLogger<RedisSessionStore>.Instance);

        await Assert.ThrowsAsync<SessionStoreUnavailableException>(
            () => store.LoadAsync(SessionIds.New(), CancellationToken.None));
    }

    /// <summary>Saves and loads a session, retrying while the store reports Redis unavailable (it reconnects by itself).</summary>
    private static Task<UserSession> RoundTripOnceConnectedAsync(RedisSessionStore store, string id, string what) =>
        Eventually.ValueAsync(what, async () =>
        {
            await store.SaveAsync(id, InMemorySessionStoreTests.SampleSession(), TimeSpan.FromMinutes(5), CancellationToken.None);
            return await store.LoadAsync(id, CancellationToken.None);
        }, retryOn: e => e is SessionStoreUnavailableException);
}
