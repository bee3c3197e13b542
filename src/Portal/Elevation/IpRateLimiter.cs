using System.Net;

namespace Portal.Elevation;

/// <summary>
/// Per-client-IP limits over sliding windows (Authelia's weighted defaults: several buckets, all must allow). Every
/// request counts, allowed or failed, so a guesser cannot reset anything by succeeding once; refused requests do not
/// count, so a client that waits out <c>Retry-After</c> gets in. In memory: a restart forgets the counts, which
/// costs an attacker a restart they cannot trigger.
/// </summary>
internal sealed class IpRateLimiter
{
    private readonly IReadOnlyList<RateLimitBucket> _buckets;
    private readonly TimeProvider _time;
    private readonly int _maxTrackedClients;
    private readonly TimeSpan _longest;
    private readonly int _mostKept;
    private readonly Dictionary<IPAddress, List<DateTimeOffset>> _requests = [];
    private readonly Lock _lock = new();

    public IpRateLimiter(IReadOnlyList<RateLimitBucket> buckets, TimeProvider time, int maxTrackedClients = 100_000)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        ArgumentNullException.ThrowIfNull(time);
        if (buckets.Count == 0 || buckets.Any(b => b.Count < 1 || b.Window <= TimeSpan.Zero))
        {
            throw new ArgumentException("each bucket needs a positive count and window", nameof(buckets));
        }
        _buckets = buckets;
        _time = time;
        _maxTrackedClients = maxTrackedClients;
        _longest = buckets.Max(b => b.Window);
        _mostKept = buckets.Max(b => b.Count);
    }

    public IReadOnlyList<RateLimitBucket> Buckets => _buckets;

    /// <summary>Counts a request from <paramref name="client"/>; null when allowed, else how long to wait.</summary>
    public TimeSpan? TryAcquire(IPAddress client)
    {
        ArgumentNullException.ThrowIfNull(client);
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            if (!_requests.TryGetValue(client, out var times))
            {
                if (_requests.Count >= _maxTrackedClients && !Sweep(now))
                {
                    // Memory is bounded; when it is full of live clients, refuse newcomers rather than forget limits.
                    return _longest;
                }
                times = [];
                _requests[client] = times;
            }
            times.RemoveAll(t => t <= now - _longest);
            TimeSpan? wait = null;
            foreach (var bucket in _buckets)
            {
                var inWindow = times.Where(t => t > now - bucket.Window).ToList();
                if (inWindow.Count >= bucket.Count)
                {
                    // The request is allowed once enough of the oldest ones have left this window.
                    var until = inWindow[inWindow.Count - bucket.Count] + bucket.Window - now;
                    wait = wait is { } w && w > until ? w : until;
                }
            }
            if (wait is not null)
            {
                return wait;
            }
            times.Add(now);
            if (times.Count > _mostKept)
            {
                times.RemoveRange(0, times.Count - _mostKept);
            }
            return null;
        }
    }

    /// <returns>whether room was made</returns>
    private bool Sweep(DateTimeOffset now)
    {
        foreach (var (ip, times) in _requests.ToList())
        {
            if (times.Count == 0 || times[^1] <= now - _longest)
            {
                _requests.Remove(ip);
            }
        }
        return _requests.Count < _maxTrackedClients;
    }
}
