using Portal.Session;
using Portal.Tests.Support;

namespace Portal.Tests.Session;

public sealed class SessionReadCacheTests
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);
    private readonly ManualTimeProvider _time = new();
    private readonly byte[] _stored = [1, 2, 3];

    private SessionReadCache Active(int capacity = 100)
    {
        var cache = new SessionReadCache(_time, MaxAge, capacity);
        cache.Resume();
        return cache;
    }

    [Fact]
    public void A_new_cache_answers_nothing_until_resumed()
    {
        var cache = new SessionReadCache(_time, MaxAge, 100);

        cache.Offer("a", cache.Generation, _stored, InMemorySessionStoreTests.SampleSession());

        Assert.False(cache.TryGet("a", out _));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void An_offered_session_is_answered_as_a_copy_with_its_stored_form()
    {
        var cache = Active();
        cache.Offer("a", cache.Generation, _stored, InMemorySessionStoreTests.SampleSession());

        Assert.True(cache.TryGet("a", out var first));
        first.Groups.Add("root");
        Assert.True(cache.TryGet("a", out var second));

        Assert.Equal("alice", second.Username);
        Assert.Equal(["admins", "dev"], second.Groups);
        Assert.Same(_stored, second.StoredForm);
        Assert.NotSame(first, second);
    }

    [Fact]
    public void A_session_is_answered_only_until_the_max_age()
    {
        var cache = Active();
        cache.Offer("a", cache.Generation, _stored, InMemorySessionStoreTests.SampleSession());

        _time.Advance(MaxAge - TimeSpan.FromMilliseconds(1));
        Assert.True(cache.TryGet("a", out _));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(cache.TryGet("a", out _));
    }

    [Fact]
    public void Past_half_its_age_an_entry_asks_exactly_one_reader_to_refresh_it()
    {
        var cache = Active();
        cache.Offer("a", cache.Generation, _stored, InMemorySessionStoreTests.SampleSession());

        Assert.True(cache.TryGet("a", out _, out var early));
        _time.Advance(MaxAge / 2);
        Assert.True(cache.TryGet("a", out _, out var first));
        Assert.True(cache.TryGet("a", out _, out var second));

        Assert.False(early);
        Assert.True(first);
        Assert.False(second);
        // The refresh's answer is a new entry, with a new age.
        cache.Offer("a", cache.Generation, _stored, InMemorySessionStoreTests.SampleSession());
        _time.Advance(MaxAge / 2);
        Assert.True(cache.TryGet("a", out _, out var again));
        Assert.True(again);
    }

    [Fact]
    public void An_invalidated_session_is_no_longer_answered()
    {
        var cache = Active();
        cache.Offer("a", cache.Generation, _stored, InMemorySessionStoreTests.SampleSession());

        cache.Invalidate("a");

        Assert.False(cache.TryGet("a", out _));
    }

    [Fact]
    public void A_read_that_overlapped_an_invalidation_is_not_kept()
    {
        // The store answered with the value it held before a write whose invalidation arrived first.
        var cache = Active();
        var generation = cache.Generation;
        cache.Invalidate("a");

        cache.Offer("a", generation, _stored, InMemorySessionStoreTests.SampleSession());

        Assert.False(cache.TryGet("a", out _));
    }

    [Fact]
    public void Suspending_forgets_everything_and_refuses_offers_until_resumed()
    {
        var cache = Active();
        cache.Offer("a", cache.Generation, _stored, InMemorySessionStoreTests.SampleSession());
        var generation = cache.Generation;

        cache.Suspend();
        cache.Offer("b", cache.Generation, _stored, InMemorySessionStoreTests.SampleSession());
        Assert.False(cache.TryGet("a", out _));
        Assert.False(cache.TryGet("b", out _));

        cache.Resume();
        // A read begun before the outage may be older than a write made during it.
        cache.Offer("a", generation, _stored, InMemorySessionStoreTests.SampleSession());
        Assert.False(cache.TryGet("a", out _));
        cache.Offer("a", cache.Generation, _stored, InMemorySessionStoreTests.SampleSession());
        Assert.True(cache.TryGet("a", out _));
    }

    [Fact]
    public void A_full_cache_makes_room_only_from_expired_entries()
    {
        var cache = Active(capacity: 2);
        cache.Offer("a", cache.Generation, _stored, InMemorySessionStoreTests.SampleSession());
        cache.Offer("b", cache.Generation, _stored, InMemorySessionStoreTests.SampleSession());

        cache.Offer("c", cache.Generation, _stored, InMemorySessionStoreTests.SampleSession());
        Assert.False(cache.TryGet("c", out _));
        Assert.True(cache.TryGet("a", out _));

        _time.Advance(MaxAge);
        cache.Offer("c", cache.Generation, _stored, InMemorySessionStoreTests.SampleSession());
        Assert.True(cache.TryGet("c", out _));
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public async Task Invalidations_racing_with_reads_never_leave_a_stale_entry()
    {
        // Many readers offer what "the store" held while writers bump the version and invalidate: whatever the
        // interleaving, once the writers are done no entry may hold a version older than the last write.
        var cache = Active(capacity: 10_000);
        long version = 0;
        using var stop = new CancellationTokenSource();
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                var generation = cache.Generation;
                var seen = Interlocked.Read(ref version);
                var session = InMemorySessionStoreTests.SampleSession();
                session.DisplayName = seen.ToString(System.Globalization.CultureInfo.InvariantCulture);
                cache.Offer("a", generation, _stored, session);
            }
        })).ToArray();
        for (var i = 0; i < 20_000; i++)
        {
            Interlocked.Increment(ref version);
            cache.Invalidate("a");
        }
        await stop.CancelAsync();
        await Task.WhenAll(readers);

        if (cache.TryGet("a", out var cached))
        {
            Assert.Equal(Interlocked.Read(ref version).ToString(System.Globalization.CultureInfo.InvariantCulture), cached.DisplayName);
        }
    }
}
