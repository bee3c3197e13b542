using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Portal.Session;

/// <summary>
/// Sessions for one <c>session.cookies[]</c> entry: loading and validating, saving with the right TTL,
/// regenerating ids, destroying, and the <c>Set-Cookie</c> values. Free of <c>HttpContext</c>: handlers pass in the
/// raw <c>Cookie</c> headers and append the returned <c>Set-Cookie</c> strings.
/// <para>
/// Lifetime rules (Authelia §1.4/§6): a session lives at most <c>expiration</c> from login (from creation while
/// anonymous), or <c>remember_me</c> when "remember me" was ticked and is enabled. Inactivity applies only to
/// signed-in sessions without remember-me: <c>LastActivity + inactivity &lt; now</c> destroys them.
/// </para>
/// </summary>
internal sealed partial class SessionManager
{
    private readonly ISessionStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger<SessionManager> _logger;
    private readonly SessionMetrics? _metrics;

    public SessionManager(
        SessionCookieSettings cookie, ISessionStore store, TimeProvider time, ILogger<SessionManager> logger, SessionMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(cookie);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        Cookie = cookie;
        _store = store;
        _time = time;
        _logger = logger;
        _metrics = metrics;
    }

    public SessionCookieSettings Cookie { get; }

    /// <summary>Loads the session named by the request's <c>Cookie</c> headers (all of them, unparsed).</summary>
    /// <exception cref="SessionStoreUnavailableException">The store is down: deny the request.</exception>
    public Task<ActiveSession> LoadFromCookieHeadersAsync(
        IEnumerable<string?> cookieHeaders, CancellationToken cancellationToken) =>
        LoadFromCookieAsync(SessionCookieReader.Read(cookieHeaders, Cookie.Name), cancellationToken);

    /// <summary>
    /// As <see cref="LoadFromCookieHeadersAsync"/>, for a cookie already read with <see cref="SessionCookieReader"/>
    /// (the authz endpoints read it first, so a request without one costs no new session).
    /// </summary>
    /// <exception cref="SessionStoreUnavailableException">The store is down: deny the request.</exception>
    /// <param name="recent">the forward-auth decision: a shared store may answer from this node's recent copy
    /// (<see cref="ISessionStore.LoadRecentAsync"/>)</param>
    public Task<ActiveSession> LoadFromCookieAsync((SessionCookieStatus Status, string? Id) cookie, CancellationToken cancellationToken, bool recent = false)
    {
        var (status, id) = cookie;
        return status switch
        {
            SessionCookieStatus.Present => LoadAsync(id, cancellationToken, recent),
            SessionCookieStatus.Missing => Task.FromResult(NewAnonymous(SessionLoadOutcome.NoCookie)),
            SessionCookieStatus.Duplicate => Task.FromResult(Rejected(SessionLoadOutcome.Duplicate)),
            _ => Task.FromResult(Rejected(SessionLoadOutcome.Malformed)),
        };
    }

    /// <summary>
    /// Loads the session for a cookie value. Never returns null: a missing, malformed, unknown or invalid session
    /// gives a new anonymous session (not yet stored) with a new id, and <see cref="ActiveSession.Outcome"/> says why.
    /// </summary>
    /// <exception cref="SessionStoreUnavailableException">The store is down: deny the request.</exception>
    public async Task<ActiveSession> LoadAsync(string? cookieValue, CancellationToken cancellationToken, bool recent = false)
    {
        if (cookieValue is null)
        {
            return NewAnonymous(SessionLoadOutcome.NoCookie);
        }
        if (!SessionIds.IsWellFormed(cookieValue))
        {
            return Rejected(SessionLoadOutcome.Malformed);
        }
        var stored = recent ? await _store.LoadRecentAsync(cookieValue, cancellationToken) : await _store.LoadAsync(cookieValue, cancellationToken);
        if (stored is null)
        {
            return NewAnonymous(SessionLoadOutcome.NotFound);
        }
        var problem = Check(stored, _time.GetUtcNow());
        if (problem is { } outcome)
        {
            LogDiscarded(_logger, outcome, Cookie.Domain);
            await _store.DeleteAsync(cookieValue, cancellationToken);
            if (!stored.IsAnonymous)
            {
                _metrics?.Discarded(outcome);
            }
            return NewAnonymous(outcome);
        }
        return new ActiveSession(cookieValue, stored, SessionLoadOutcome.Loaded);
    }

    /// <summary>Why <paramref name="session"/> may no longer be used at <paramref name="now"/>, or null if it may.</summary>
    public SessionLoadOutcome? Check(UserSession session, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (!string.Equals(session.CookieDomain, Cookie.Domain, StringComparison.OrdinalIgnoreCase))
        {
            return SessionLoadOutcome.DomainMismatch;
        }
        if (now >= ExpiresAt(session))
        {
            return SessionLoadOutcome.Expired;
        }
        if (InactivityApplies(session) && session.LastActivity + Cookie.Inactivity < now)
        {
            return SessionLoadOutcome.Inactive;
        }
        return null;
    }

    /// <summary>Remember-me counts only while it is enabled in configuration.</summary>
    public bool IsRemembered(UserSession session) => session.KeepMeLoggedIn && Cookie.RememberMeEnabled;

    /// <summary>The longest the session may live: <c>remember_me</c> when remembered, else <c>expiration</c>.</summary>
    public TimeSpan Lifetime(UserSession session) => IsRemembered(session) ? Cookie.RememberMe : Cookie.Expiration;

    /// <summary>When the session ends regardless of activity; counted from login (or creation while anonymous).</summary>
    public DateTimeOffset ExpiresAt(UserSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return (session.FirstFactorAuthnTimestamp ?? session.CreatedAt) + Lifetime(session);
    }

    /// <summary>
    /// Records activity (for the authz endpoints): signed-in sessions without remember-me get
    /// <c>LastActivity = now</c> and are saved, which also renews the store TTL. Returns the <c>Set-Cookie</c>
    /// value to send, or null when nothing needed saving (anonymous or remembered sessions) or another request stored
    /// the session since it was loaded: the refresh then gives way rather than overwrite that newer state (a WebAuthn
    /// ceremony begun while an app's requests keep passing the authz endpoints), and the other write renewed it.
    /// </summary>
    public async Task<string?> TouchAsync(ActiveSession active, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(active);
        if (!InactivityApplies(active.Session))
        {
            return null;
        }
        var now = _time.GetUtcNow();
        if (now - active.Session.LastActivity < ActivityGranularity)
        {
            // Writing the session back on every request costs a store write each time (with Redis: a round trip and
            // an encryption), which dominated forward-auth under load. Recording activity at most once per
            // granularity ends an idle session at most that much earlier than exact bookkeeping would, never later.
            return null;
        }
        active.Session.LastActivity = now;
        active.Session.CookieDomain = Cookie.Domain;
        return await _store.SaveIfUnchangedAsync(active.Id, active.Session, StoreTtl(active.Session, now), cancellationToken)
            ? BuildCookie(active.Id, ExpiresAt(active.Session), now)
            : null;
    }

    /// <summary>Stores the session (TTL re-applied) and returns the <c>Set-Cookie</c> value to send.</summary>
    public async Task<string> SaveAsync(ActiveSession active, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(active);
        var now = _time.GetUtcNow();
        active.Session.CookieDomain = Cookie.Domain;
        await _store.SaveAsync(active.Id, active.Session, StoreTtl(active.Session, now), cancellationToken);
        return BuildCookie(active.Id, ExpiresAt(active.Session), now);
    }

    /// <summary>
    /// Gives the session a new id, deletes the old one, and saves. Call it on every change of privilege (first
    /// factor, second factor, elevation) so that an id known before the change (fixation) is worthless after it.
    /// </summary>
    public async Task<string> RegenerateAsync(ActiveSession active, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(active);
        // Delete first: if the save then fails the user is merely signed out, never left with two live ids.
        await _store.DeleteAsync(active.Id, cancellationToken);
        active.Id = SessionIds.New();
        return await SaveAsync(active, cancellationToken);
    }

    /// <summary>A first factor has just signed <paramref name="active"/> in: <see cref="RegenerateAsync"/>, counted as a new session.</summary>
    public async Task<string> SignInAsync(ActiveSession active, CancellationToken cancellationToken)
    {
        var cookie = await RegenerateAsync(active, cancellationToken);
        _metrics?.Created();
        return cookie;
    }

    /// <summary>Deletes the session (logout) and returns the <c>Set-Cookie</c> value that removes the cookie.</summary>
    /// <param name="reason">why, as counted (<see cref="SessionMetrics"/>)</param>
    public async Task<string> DestroyAsync(ActiveSession active, CancellationToken cancellationToken, string reason = SessionMetrics.Logout)
    {
        ArgumentNullException.ThrowIfNull(active);
        await _store.DeleteAsync(active.Id, cancellationToken);
        if (!active.Session.IsAnonymous)
        {
            _metrics?.Destroyed(reason);
        }
        return BuildExpiredCookie();
    }

    /// <summary>The <c>Set-Cookie</c> value for a session ending at <paramref name="expires"/>.</summary>
    public string BuildCookie(string id, DateTimeOffset expires, DateTimeOffset now)
    {
        var maxAge = Math.Max(0, (long)Math.Ceiling((expires - now).TotalSeconds));
        return Build(id, expires, maxAge);
    }

    /// <summary>A <c>Set-Cookie</c> value that makes the browser drop the session cookie.</summary>
    public string BuildExpiredCookie() => Build("", DateTimeOffset.UnixEpoch, 0);

    private string Build(string value, DateTimeOffset expires, long maxAge)
    {
        var sameSite = Cookie.SameSite switch
        {
            "strict" => "Strict",
            "none" => "None",
            _ => "Lax",
        };
        var builder = new StringBuilder(160);
        builder.Append(Cookie.Name).Append('=').Append(value)
            .Append("; Expires=").Append(expires.UtcDateTime.ToString("R", CultureInfo.InvariantCulture))
            .Append("; Max-Age=").Append(maxAge.ToString(CultureInfo.InvariantCulture))
            .Append("; Domain=").Append(Cookie.Domain)
            // Secure always, even behind a TLS-terminating proxy that forwards plain HTTP to us.
            .Append("; Path=/; Secure; HttpOnly; SameSite=").Append(sameSite);
        return builder.ToString();
    }

    /// <summary>How stale the stored last activity may get: a twentieth of <c>inactivity</c>, at most 5 seconds.</summary>
    internal TimeSpan ActivityGranularity => TimeSpan.FromTicks(Math.Min(Cookie.Inactivity.Ticks / 20, TimeSpan.FromSeconds(5).Ticks));

    private bool InactivityApplies(UserSession session) =>
        !session.IsAnonymous && !IsRemembered(session) && Cookie.Inactivity > TimeSpan.Zero;

    /// <summary>
    /// How long the store keeps the entry: until the session would be invalid anyway, so idle sessions are
    /// reclaimed by the store rather than lingering until their maximum lifetime.
    /// </summary>
    private TimeSpan StoreTtl(UserSession session, DateTimeOffset now)
    {
        var end = ExpiresAt(session);
        if (InactivityApplies(session))
        {
            var idleEnd = session.LastActivity + Cookie.Inactivity;
            if (idleEnd < end)
            {
                end = idleEnd;
            }
        }
        var ttl = end - now;
        // A session saved at the very end of its life still needs a positive TTL; the next load rejects it anyway.
        return ttl < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : ttl;
    }

    private ActiveSession NewAnonymous(SessionLoadOutcome outcome) =>
        new(SessionIds.New(), UserSession.NewAnonymous(Cookie.Domain, _time.GetUtcNow()), outcome);

    private ActiveSession Rejected(SessionLoadOutcome outcome)
    {
        LogRejectedCookie(_logger, outcome, Cookie.Name);
        return NewAnonymous(outcome);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Session discarded ({Outcome}) for cookie domain {Domain}")]
    private static partial void LogDiscarded(ILogger logger, SessionLoadOutcome outcome, string domain);

    [LoggerMessage(Level = LogLevel.Information, Message = "Session cookie {CookieName} refused ({Outcome}) before any store lookup")]
    private static partial void LogRejectedCookie(ILogger logger, SessionLoadOutcome outcome, string cookieName);
}
