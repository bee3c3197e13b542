using Microsoft.Extensions.Logging;
using Portal.Configuration;

namespace Portal.Session;

/// <summary>
/// One <see cref="SessionManager"/> per <c>session.cookies[]</c> entry, all over one store, and the lookup from a
/// request host to the cookie that covers it.
/// </summary>
internal sealed class SessionProvider
{
    private readonly List<SessionManager> _managers;

    /// <param name="metrics">sessions created and ended; none counted when null (the CLI)</param>
    public SessionProvider(SessionOptions options, ISessionStore store, TimeProvider time, ILoggerFactory loggerFactory, SessionMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        Store = store;
        Metrics = metrics;
        var logger = loggerFactory.CreateLogger<SessionManager>();
        _managers = options.Cookies
            .Select(c => new SessionManager(SessionCookieSettings.From(options, c), store, time, logger, metrics))
            .ToList();
    }

    public ISessionStore Store { get; }

    public SessionMetrics? Metrics { get; }

    public IReadOnlyList<SessionManager> Managers => _managers;

    /// <summary>
    /// The manager of the first cookie entry whose domain is <paramref name="host"/> or a parent of it
    /// (case-insensitive), or null when no entry covers it; the caller must then deny. Pass the host without port.
    /// </summary>
    public SessionManager? ForHost(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return _managers.Find(m => m.Cookie.Covers(host));
    }

    /// <summary>The user's signed-in sessions, across every cookie domain, newest sign-in first.</summary>
    /// <exception cref="SessionStoreUnavailableException">The store is down.</exception>
    public async Task<IReadOnlyList<StoredSession>> ListForUserAsync(string username, CancellationToken cancellationToken)
    {
        var sessions = await Store.ListForUserAsync(Users.Usernames.Key(username), cancellationToken);
        return [.. sessions.OrderByDescending(s => s.Session.FirstFactorAuthnTimestamp ?? s.Session.CreatedAt)];
    }

    /// <summary>
    /// Ends the user's sessions named by <paramref name="handles"/> (<see cref="StoredSession.Handle"/>), or all of
    /// them when it is null, never the one whose id is <paramref name="keepId"/>; returns how many ended. Ending is a
    /// delete, so with Redis every node refuses the session on its next request.
    /// </summary>
    /// <exception cref="SessionStoreUnavailableException">The store is down.</exception>
    public async Task<int> RevokeAsync(string username, IReadOnlyCollection<string>? handles, string? keepId, CancellationToken cancellationToken)
    {
        var ended = 0;
        foreach (var stored in await Store.ListForUserAsync(Users.Usernames.Key(username), cancellationToken))
        {
            if (stored.Id == keepId || (handles is not null && !handles.Contains(stored.Handle)))
            {
                continue;
            }
            await Store.DeleteAsync(stored.Id, cancellationToken);
            ended++;
        }
        Metrics?.Destroyed(SessionMetrics.Revoked, ended);
        return ended;
    }

    /// <summary>
    /// The store named by configuration: Redis when <c>session.redis</c> is set, otherwise in memory.
    /// </summary>
    public static async Task<ISessionStore> CreateStoreAsync(
        SessionOptions options, TimeProvider time, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        return options.Redis is { } redis
            ? await RedisSessionStore.ConnectAsync(redis, options.Secret, loggerFactory.CreateLogger<RedisSessionStore>())
            : new InMemorySessionStore(time);
    }
}
