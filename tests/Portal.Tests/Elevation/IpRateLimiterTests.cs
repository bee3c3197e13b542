using System.Collections.Concurrent;
using System.Net;
using Portal.Elevation;
using Portal.Tests.Support;

namespace Portal.Tests.Elevation;

public sealed class IpRateLimiterTests
{
    private static readonly IPAddress A = IPAddress.Parse("192.0.2.1");
    private static readonly IPAddress B = IPAddress.Parse("192.0.2.2");

    [Fact]
    public void Every_bucket_must_allow_and_retry_after_names_when_the_tightest_one_frees_up()
    {
        var time = new ManualTimeProvider();
        var limiter = new IpRateLimiter([new(3, TimeSpan.FromMinutes(5)), new(5, TimeSpan.FromMinutes(10))], time);

        for (var i = 0; i < 3; i++)
        {
            Assert.Null(limiter.TryAcquire(A));
            time.Advance(TimeSpan.FromMinutes(1));
        }
        Assert.Equal(TimeSpan.FromMinutes(2), limiter.TryAcquire(A));
        Assert.Null(limiter.TryAcquire(B));

        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Null(limiter.TryAcquire(A));
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(limiter.TryAcquire(A));
        // Five in the last ten minutes (at 0, 1, 2, 5, 6): the 10-minute bucket now says wait until the first leaves.
        Assert.Equal(TimeSpan.FromMinutes(4), limiter.TryAcquire(A));
    }

    [Fact]
    public void Refused_requests_do_not_extend_the_wait()
    {
        var time = new ManualTimeProvider();
        var limiter = new IpRateLimiter([new(1, TimeSpan.FromMinutes(1))], time);
        Assert.Null(limiter.TryAcquire(A));

        for (var i = 0; i < 10; i++)
        {
            Assert.NotNull(limiter.TryAcquire(A));
            time.Advance(TimeSpan.FromSeconds(5));
        }
        time.Advance(TimeSpan.FromSeconds(10));

        Assert.Null(limiter.TryAcquire(A));
    }

    [Fact]
    public void When_full_of_live_clients_newcomers_are_refused_and_idle_ones_are_forgotten()
    {
        var time = new ManualTimeProvider();
        var limiter = new IpRateLimiter([new(1, TimeSpan.FromMinutes(1))], time, maxTrackedClients: 2);
        Assert.Null(limiter.TryAcquire(A));
        Assert.Null(limiter.TryAcquire(B));

        Assert.NotNull(limiter.TryAcquire(IPAddress.Parse("192.0.2.3")));

        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(limiter.TryAcquire(IPAddress.Parse("192.0.2.3")));
    }

    [Fact]
    public async Task Sixty_four_concurrent_requests_from_one_ip_get_exactly_the_limit_through()
    {
        var limiter = new IpRateLimiter([new(5, TimeSpan.FromMinutes(10)), new(15, TimeSpan.FromHours(1))], new ManualTimeProvider());
        using var start = new Barrier(64);

        var allowed = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            return Enumerable.Range(0, 20).Count(_ => limiter.TryAcquire(A) is null);
        }, TaskCreationOptions.LongRunning)));

        Assert.Equal(5, allowed.Sum());
    }

    [Fact]
    public async Task Many_ips_hammered_concurrently_each_get_exactly_their_limit_and_nothing_throws()
    {
        var limiter = new IpRateLimiter([new(3, TimeSpan.FromMinutes(5))], new ManualTimeProvider());
        var ips = Enumerable.Range(1, 32).Select(i => IPAddress.Parse($"198.51.100.{i}")).ToArray();
        var allowed = new ConcurrentDictionary<IPAddress, int>();
        using var start = new Barrier(64);

        await Task.WhenAll(Enumerable.Range(0, 64).Select(worker => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < 200; i++)
            {
                var ip = ips[(worker + i) % ips.Length];
                if (limiter.TryAcquire(ip) is null)
                {
                    allowed.AddOrUpdate(ip, 1, (_, n) => n + 1);
                }
            }
        }, TaskCreationOptions.LongRunning)));

        Assert.All(ips, ip => Assert.Equal(3, allowed.GetValueOrDefault(ip)));
    }
}
