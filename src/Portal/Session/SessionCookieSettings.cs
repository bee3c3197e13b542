using Portal.Configuration;

namespace Portal.Session;

/// <summary>
/// One <c>session.cookies[]</c> entry with the inherited globals filled in. Built from validated configuration
/// (<see cref="SessionValidator"/>), so it assumes the values make sense.
/// </summary>
internal sealed record SessionCookieSettings(
    string Domain,
    string Name,
    string SameSite,
    string AutheliaUrl,
    string DefaultRedirectionUrl,
    TimeSpan Expiration,
    TimeSpan Inactivity,
    TimeSpan RememberMe)
{
    /// <summary><see cref="AutheliaUrl"/> parsed once (the authz endpoints need it on every redirect); null when not set.</summary>
    public Uri? PortalUri { get; } = Uri.TryCreate(AutheliaUrl, UriKind.Absolute, out var uri) ? uri : null;

    /// <summary>A negative (or zero) <c>remember_me</c> hides the checkbox and is never honoured.</summary>
    public bool RememberMeEnabled => RememberMe > TimeSpan.Zero;

    public static SessionCookieSettings From(SessionOptions session, SessionCookieOptions cookie)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(cookie);
        return new SessionCookieSettings(
            Domain: cookie.Domain.Trim().TrimStart('.').ToLowerInvariant(),
            Name: string.IsNullOrEmpty(cookie.Name) ? session.Name : cookie.Name,
            SameSite: (cookie.SameSite ?? session.SameSite).ToLowerInvariant(),
            AutheliaUrl: cookie.AutheliaUrl,
            DefaultRedirectionUrl: cookie.DefaultRedirectionUrl,
            Expiration: cookie.Expiration ?? session.Expiration,
            Inactivity: cookie.Inactivity ?? session.Inactivity,
            RememberMe: cookie.RememberMe ?? session.RememberMe);
    }

    /// <summary>
    /// True when a request for <paramref name="host"/> (no port) carries this cookie: the host is the domain or a
    /// subdomain of it. A bare suffix match is not enough (<c>evilexample.com</c> is not under <c>example.com</c>).
    /// </summary>
    public bool Covers(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return host.Equals(Domain, StringComparison.OrdinalIgnoreCase) ||
            (host.Length > Domain.Length + 1 &&
             host.EndsWith(Domain, StringComparison.OrdinalIgnoreCase) &&
             host[host.Length - Domain.Length - 1] == '.');
    }
}
