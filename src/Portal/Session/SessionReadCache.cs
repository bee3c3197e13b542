using System.Collections.Concurrent;

namespace Portal.Session;

/// <summary>
/// A node's short-lived copy of sessions it read from a shared store (Redis), so a busy app's requests do not each
/// cost a round trip, a decryption and a parse. Safe because every write to the store, from any node, invalidates
/// the entry here (<see cref="Invalidate"/>, driven by the store's invalidation messages), and bounded twice over:
/// an entry is used for at most <see cref="MaxAge"/> after it was read, so a lost message or a write made behind the
/// portal's back is seen within that time, and the whole cache is off while invalidations may be missed
/// (<see cref="Suspend"/>: the store's connection is down).
/// <para>
/// Race rule: a read that overlaps an invalidation must not leave the older value behind. <see cref="Offer"/> takes
/// the <see cref="Generation"/> read before the store was asked; an invalidation bumps the generation before it
/// removes, and an offer checks it again after it inserts, so one of the two always wins against the stale value.
/// </para>
/// </summary>
internal sealed class SessionReadCache(TimeProvider time, TimeSpan maxAge, int capacity)
{
    /// <summary>How long a node trusts a session it read without asking the store again.</summary>
    public static readonly TimeSpan DefaultMaxAge = TimeSpan.FromSeconds(1);

    /// <summary>Entries at most; reads beyond it simply go to the store (about 1 KiB each).</summary>
    public const int DefaultCapacity = 10_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private long _generation;
    private int _suspended = 1;

    public TimeSpan MaxAge { get; } = maxAge;

    /// <summary>Entries held, including stale ones not yet swept.</summary>
    public int Count => _entries.Count;

    /// <summary>True while the cache may answer (invalidations are being received).</summary>
    public bool IsActive => Volatile.Read(ref _suspended) == 0;

    /// <summary>Read before asking the store; pass to <see cref="Offer"/> with what the store answered.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>A copy of the session read less than <see cref="MaxAge"/> ago, with the stored bytes it came from.</summary>
    public bool TryGet(string id, out UserSession session) => TryGet(id, out session, out _);

    /// <summary>
    /// As <see cref="TryGet(string, out UserSession)"/>; <paramref name="refreshDue"/> is true for exactly one caller
    /// once the entry is past half its age, so a busy session is read again in the background before it expires,
    /// instead of every request missing at once when it does (which showed in the tail latency).
    /// </summary>
    public bool TryGet(string id, out UserSession session, out bool refreshDue)
    {
        session = null!;
        refreshDue = false;
        if (!IsActive || !_entries.TryGetValue(id, out var entry))
        {
            return false;
        }
        var now = time.GetUtcNow();
        if (now >= entry.Expires)
        {
            _entries.TryRemove(new KeyValuePair<string, Entry>(id, entry));
            return false;
        }
        refreshDue = now >= entry.Expires - MaxAge / 2 && Interlocked.Exchange(ref entry.RefreshClaimed, 1) == 0;
        session = entry.Session.Copy();
        session.StoredForm = entry.Stored;
        return true;
    }

    /// <summary>
    /// Keeps what the store answered for <paramref name="id"/>, unless an invalidation arrived since
    /// <paramref name="generation"/> was read (the answer may then be older than the invalidating write).
    /// </summary>
    public void Offer(string id, long generation, byte[] stored, UserSession session)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(session);
        if (!IsActive || Generation != generation)
        {
            return;
        }
        var now = time.GetUtcNow();
        if (_entries.Count >= capacity)
        {
            Sweep(now);
            if (_entries.Count >= capacity)
            {
                return;
            }
        }
        var entry = new Entry(session.Copy(), stored, now + MaxAge);
        _entries[id] = entry;
        if (Generation != generation || !IsActive)
        {
            // An invalidation (or a suspension) ran while this was inserted: it may have removed before the insert.
            _entries.TryRemove(new KeyValuePair<string, Entry>(id, entry));
        }
    }

    /// <summary>Forgets <paramref name="id"/>: the store's copy changed or is gone.</summary>
    public void Invalidate(string id)
    {
        Interlocked.Increment(ref _generation);
        _entries.TryRemove(id, out _);
    }

    /// <summary>Forgets everything (a change it cannot attribute to one session).</summary>
    public void Clear()
    {
        Interlocked.Increment(ref _generation);
        _entries.Clear();
    }

    /// <summary>Stops answering and forgets everything: invalidations may be missed from now on.</summary>
    public void Suspend()
    {
        Volatile.Write(ref _suspended, 1);
        Interlocked.Increment(ref _generation);
        _entries.Clear();
    }

    /// <summary>Answers again, from empty: invalidations are received again (anything before is unknown).</summary>
    public void Resume()
    {
        Interlocked.Increment(ref _generation);
        _entries.Clear();
        Volatile.Write(ref _suspended, 0);
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (key, entry) in _entries)
        {
            if (entry.Expires <= now)
            {
                _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
            }
        }
    }

    private sealed class Entry(UserSession session, byte[] stored, DateTimeOffset expires)
    {
        public UserSession Session { get; } = session;

        public byte[] Stored { get; } = stored;

        public DateTimeOffset Expires { get; } = expires;

        /// <summary>1 once a caller was told to refresh this entry.</summary>
        public int RefreshClaimed;
    }
}
