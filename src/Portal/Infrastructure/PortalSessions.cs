using Portal.Session;

namespace Portal.Infrastructure;

/// <summary>The session of a request to the portal itself (login, state, logout), chosen by the portal's host.</summary>
internal sealed class PortalSessions(SessionProvider sessions, TrustedProxies proxies)
{
    public SessionManager? ManagerFor(HttpContext context) => sessions.ForHost(context.PortalHost(proxies));

    /// <returns>null when the portal host is under no cookie domain</returns>
    /// <exception cref="SessionStoreUnavailableException">the store is down</exception>
    public async Task<(SessionManager Manager, ActiveSession Active)?> LoadAsync(HttpContext context)
    {
        var manager = ManagerFor(context);
        if (manager is null)
        {
            return null;
        }
        var active = await manager.LoadFromCookieHeadersAsync(context.Request.Headers.Cookie, context.RequestAborted);
        return (manager, active);
    }
}
