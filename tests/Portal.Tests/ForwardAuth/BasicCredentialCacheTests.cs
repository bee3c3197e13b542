using System.Collections.Concurrent;
using Portal.ForwardAuth;
using Portal.Tests.Support;

namespace Portal.Tests.ForwardAuth;

public sealed class BasicCredentialCacheTests
{
    private static readonly TimeSpan Lifespan = TimeSpan.FromMinutes(5);

    [Fact]
    public void Dropping_a_stale_entry_never_drops_the_fresh_one_another_request_stored_meanwhile()
    {
        // The interleaving of two requests, made explicit: while one request finds john's entry from before the users
        // file changed, another verifies john's password against the new file and caches it. The first request must
        // remove only the stale entry it saw, not the fresh one that took its place.
        long generation = 1;
        var interleave = false;
        BasicCredentialCache? other = null;
        using var cache = new BasicCredentialCache(new ManualTimeProvider(), () =>
        {
            if (interleave)
            {
                interleave = false;
                generation = 2;
                other!.Add("john", "password", "john", Lifespan);
            }
            return generation;
        });
        other = cache;
        cache.Add("john", "password", "john", Lifespan);
        interleave = true;

        Assert.Null(cache.TryGet("john", "password"));

        Assert.Equal("john", cache.TryGet("john", "password"));
    }

    [Fact]
    [Trait("Category", "Integration")] // 64-way concurrency stress, seconds on two cores
    public async Task Sixty_four_tasks_adding_and_reading_concurrently_only_ever_get_the_right_user()
    {
        var time = new ManualTimeProvider();
        using var cache = new BasicCredentialCache(time, () => 1, capacity: 50);
        var wrong = new ConcurrentQueue<string>();
        using var start = new Barrier(64);

        await Task.WhenAll(Enumerable.Range(0, 64).Select(worker => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < 2000; i++)
            {
                // 100 users against a capacity of 50: the cache also empties itself while others read and write.
                var user = $"user{(worker * 7 + i) % 100}";
                var found = cache.TryGet(user, "pw-" + user);
                if (found is not null && found != user)
                {
                    wrong.Enqueue($"{user} got {found}");
                }
                if (cache.TryGet(user, "wrong") is { } impostor)
                {
                    wrong.Enqueue($"{user} with a wrong password got {impostor}");
                }
                cache.Add(user, "pw-" + user, user, Lifespan);
            }
        }, TaskCreationOptions.LongRunning)));

        Assert.True(wrong.IsEmpty, string.Join("; ", wrong.Take(5)));
    }
}
