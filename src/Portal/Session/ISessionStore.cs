namespace Portal.Session;

/// <summary>
/// Where sessions live between requests. Ids reaching a store are already well-formed (<see cref="SessionIds"/>).
/// Implementations throw <see cref="SessionStoreUnavailableException"/> when the backend cannot answer, and return
/// <c>null</c> for a missing, expired or unreadable session.
/// </summary>
internal interface ISessionStore
{
    Task<UserSession?> LoadAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// As <see cref="LoadAsync"/>, but a store shared by several nodes may answer from this node's copy of the last
    /// second (<see cref="SessionReadCache"/>). For the forward-auth decision only: what it reads (who, which level)
    /// changes only with a new session id or a delete, which every node hears of at once. The portal's own endpoints
    /// read the latest state (a ceremony begun on another node a millisecond ago).
    /// </summary>
    Task<UserSession?> LoadRecentAsync(string id, CancellationToken cancellationToken) => LoadAsync(id, cancellationToken);

    /// <summary>Stores the session and (re)applies its time to live.</summary>
    Task SaveAsync(string id, UserSession session, TimeSpan ttl, CancellationToken cancellationToken);

    /// <summary>
    /// Stores the session only if the store still holds what it was loaded from (<see cref="UserSession.StoredForm"/>);
    /// false, with nothing written, when another request stored it since or it is gone. For writes that may lose
    /// (an activity refresh), so they never overwrite what a concurrent request just stored (a WebAuthn ceremony).
    /// </summary>
    Task<bool> SaveIfUnchangedAsync(string id, UserSession session, TimeSpan ttl, CancellationToken cancellationToken);

    Task DeleteAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// The live signed-in sessions of the user whose <see cref="Users.Usernames.Key"/> is <paramref name="userKey"/>
    /// (every save of a signed-in session indexes it under its user; ids whose session is gone are dropped).
    /// </summary>
    Task<IReadOnlyList<StoredSession>> ListForUserAsync(string userKey, CancellationToken cancellationToken);
}
