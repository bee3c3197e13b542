using Microsoft.Extensions.Logging;
using Portal.Session;
using Portal.Users;

namespace Portal.ForwardAuth;

/// <summary>
/// The session cookie (Authelia's <c>CookieSession</c>): the signed-in user and what their session proved, or nobody
/// (then the login redirect). A store outage is its own result, so the decision can fail closed.
/// </summary>
internal sealed partial class SessionCookieAuthenticator(IUserProvider users, ILogger<SessionCookieAuthenticator> logger) : IAuthzAuthenticator
{
    public async Task<AuthnResult?> AuthenticateAsync(AuthzRequest request, SessionManager manager, ICollection<string> setCookies, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(manager);
        ArgumentNullException.ThrowIfNull(setCookies);
        try
        {
            var cookie = SessionCookieReader.Read(request.Cookies, manager.Cookie.Name);
            if (cookie.Status == SessionCookieStatus.Missing)
            {
                // Nobody: no new anonymous session (an id from the CSPRNG) for a request that only needs "anonymous".
                return null;
            }
            var active = await manager.LoadFromCookieAsync(cookie, ct, recent: true);
            if (active.Session.IsAnonymous)
            {
                if (active.CookieRejected)
                {
                    setCookies.Add(manager.BuildExpiredCookie());
                }
                return null;
            }
            // Re-read the user on every request (the file backend is in memory): a disabled or deleted user, or changed
            // groups, take effect at once rather than at the next refresh.
            var details = users.GetDetails(active.Session.Username);
            if (details is null || !string.Equals(details.Username, active.Session.Username, StringComparison.Ordinal))
            {
                LogUserGone(logger, active.Session.Username);
                setCookies.Add(await manager.DestroyAsync(active, ct, SessionMetrics.Refused));
                return null;
            }
            if (request.SessionUsername is { Length: > 0 } claimed && !string.Equals(claimed, details.Username, StringComparison.OrdinalIgnoreCase))
            {
                // Authelia's hijack check: the proxy says which user this browser should be.
                setCookies.Add(await manager.DestroyAsync(active, ct, SessionMetrics.Refused));
                return null;
            }
            if (!active.Session.Holds(details))
            {
                active.Session.SetUser(details);
            }
            if (await manager.TouchAsync(active, ct) is { } setCookie)
            {
                setCookies.Add(setCookie);
            }
            return new AuthnResult(details, active.Session.AuthenticationMethods);
        }
        catch (SessionStoreUnavailableException e)
        {
            LogStoreUnavailable(logger, e.Message);
            return AuthnResult.Unavailable;
        }
    }

    [LoggerMessage(EventId = 1105, Level = LogLevel.Error, Message = "Session store unavailable, failing closed: {Error}")]
    private static partial void LogStoreUnavailable(ILogger logger, string error);

    [LoggerMessage(EventId = 1106, Level = LogLevel.Information, Message = "User {Username} no longer exists or is disabled; session destroyed")]
    private static partial void LogUserGone(ILogger logger, string username);
}
