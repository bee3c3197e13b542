using System.Collections.Concurrent;
using Portal.Users;

namespace Portal.Session;

/// <summary>
/// The default store for a single node. Entries are kept as they would read back from their serialised form (one
/// JSON round trip when saved), so a caller mutating a session after saving it cannot change what is stored, and
/// behaviour matches the Redis store; each load hands out its own copy, which costs far less than parsing again. Expired entries are invisible at once
/// and swept at most once per <see cref="SweepInterval"/>, driven by store calls rather than a timer so that time
/// is fully controlled by the injected <see cref="TimeProvider"/>.
/// </summary>
internal sealed class InMemorySessionStore(TimeProvider time) : ISessionStore
{
    public static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    // user key → ids saved signed in as that user; pruned on listing and when an entry goes.
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> _byUser = new(StringComparer.Ordinal);
    private long _nextSweepTicks = time.GetUtcNow().Add(SweepInterval).UtcTicks;

    /// <summary>Entries held, including expired ones not yet swept.</summary>
    public int Count => _entries.Count;

    public Task<UserSession?> LoadAsync(string id, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        SweepIfDue(now);
        if (_entries.TryGetValue(id, out var entry))
        {
            if (entry.Expires > now)
            {
                var session = entry.Snapshot.Copy();
                session.StoredForm = entry;
                return Task.FromResult<UserSession?>(session);
            }
            _entries.TryRemove(new KeyValuePair<string, Entry>(id, entry));
        }
        return Task.FromResult<UserSession?>(null);
    }

    public Task SaveAsync(string id, UserSession session, TimeSpan ttl, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
        var now = time.GetUtcNow();
        SweepIfDue(now);
        var entry = Entry.Of(session, now + ttl);
        _entries[id] = entry;
        Index(id, entry);
        session.StoredForm = entry;
        return Task.CompletedTask;
    }

    public Task<bool> SaveIfUnchangedAsync(string id, UserSession session, TimeSpan ttl, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
        if (session.StoredForm is not Entry loaded)
        {
            return Task.FromResult(false);
        }
        var entry = Entry.Of(session, time.GetUtcNow() + ttl);
        // Entry is compared by reference: any other save in between made a new one.
        if (!_entries.TryUpdate(id, entry, loaded))
        {
            return Task.FromResult(false);
        }
        Index(id, entry);
        session.StoredForm = entry;
        return Task.FromResult(true);
    }

    public Task DeleteAsync(string id, CancellationToken cancellationToken)
    {
        if (_entries.TryRemove(id, out var entry))
        {
            Unindex(id, entry);
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<StoredSession>> ListForUserAsync(string userKey, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var found = new List<StoredSession>();
        if (_byUser.TryGetValue(userKey, out var ids))
        {
            foreach (var id in ids.Keys)
            {
                if (_entries.TryGetValue(id, out var entry) && entry.Expires > now && Usernames.Key(entry.Snapshot.Username) == userKey)
                {
                    var session = entry.Snapshot.Copy();
                    session.StoredForm = entry;
                    found.Add(new StoredSession(id, session));
                }
                else
                {
                    ids.TryRemove(id, out _);
                }
            }
        }
        return Task.FromResult<IReadOnlyList<StoredSession>>(found);
    }

    private void Index(string id, Entry entry)
    {
        if (!entry.Snapshot.IsAnonymous)
        {
            _byUser.GetOrAdd(Usernames.Key(entry.Snapshot.Username), _ => new(StringComparer.Ordinal))[id] = 0;
        }
    }

    private void Unindex(string id, Entry entry)
    {
        if (!entry.Snapshot.IsAnonymous && _byUser.TryGetValue(Usernames.Key(entry.Snapshot.Username), out var ids))
        {
            ids.TryRemove(id, out _);
        }
    }

    /// <summary>Removes expired entries; one caller per interval does the work, the rest return at once.</summary>
    private void SweepIfDue(DateTimeOffset now)
    {
        var due = Interlocked.Read(ref _nextSweepTicks);
        if (now.UtcTicks < due ||
            Interlocked.CompareExchange(ref _nextSweepTicks, now.Add(SweepInterval).UtcTicks, due) != due)
        {
            return;
        }
        foreach (var (key, entry) in _entries)
        {
            if (entry.Expires <= now && _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry)))
            {
                Unindex(key, entry);
            }
        }
    }

    /// <summary>A stored session, never handed out itself (loads copy it); compared by reference.</summary>
    private sealed class Entry(UserSession snapshot, DateTimeOffset expires)
    {
        public UserSession Snapshot { get; } = snapshot;

        public DateTimeOffset Expires { get; } = expires;

        /// <summary>The session as it reads back from JSON, as every store gives it.</summary>
        public static Entry Of(UserSession session, DateTimeOffset expires) =>
            new(SessionSerializer.Deserialize(SessionSerializer.Serialize(session))
                ?? throw new InvalidOperationException("A session did not read back from its own JSON."), expires);
    }
}
