using Portal.Session;

namespace Portal.Tests.Session;

/// <summary>
/// An in-memory store that records every call, to check what reached the store and what did not. It records the
/// TTL it is given but keeps entries far longer, so that tests see <see cref="SessionManager"/>'s own validity rules
/// rather than the store quietly expiring the entry first (the manager must not rely on store TTLs alone: a config
/// change can shorten inactivity for sessions already stored).
/// </summary>
internal sealed class RecordingSessionStore(TimeProvider time) : ISessionStore
{
    private readonly InMemorySessionStore _inner = new(time);

    public List<string> Calls { get; } = [];
    public Dictionary<string, TimeSpan> Ttls { get; } = [];

    public Task<UserSession?> LoadAsync(string id, CancellationToken cancellationToken)
    {
        Calls.Add("load " + id);
        return _inner.LoadAsync(id, cancellationToken);
    }

    public Task SaveAsync(string id, UserSession session, TimeSpan ttl, CancellationToken cancellationToken)
    {
        Calls.Add("save " + id);
        Ttls[id] = ttl;
        return _inner.SaveAsync(id, session, TimeSpan.FromDays(3650), cancellationToken);
    }

    public Task<bool> SaveIfUnchangedAsync(string id, UserSession session, TimeSpan ttl, CancellationToken cancellationToken)
    {
        Calls.Add("save-if-unchanged " + id);
        Ttls[id] = ttl;
        return _inner.SaveIfUnchangedAsync(id, session, TimeSpan.FromDays(3650), cancellationToken);
    }

    public Task DeleteAsync(string id, CancellationToken cancellationToken)
    {
        Calls.Add("delete " + id);
        return _inner.DeleteAsync(id, cancellationToken);
    }

    public Task<IReadOnlyList<StoredSession>> ListForUserAsync(string userKey, CancellationToken cancellationToken)
    {
        Calls.Add("list " + userKey);
        return _inner.ListForUserAsync(userKey, cancellationToken);
    }
}
