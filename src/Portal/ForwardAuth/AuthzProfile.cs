using System.Diagnostics.CodeAnalysis;
using System.Net;
using Portal.AccessControl;

namespace Portal.ForwardAuth;

/// <summary>
/// One proxy shape (Authelia's authz implementations): how its calls name the target and the portal, and how it wants
/// to hear "no" and "log in first". The HTTP side (<see cref="TryRead"/>) turns a call into an <see cref="AuthzRequest"/>;
/// the decision (<see cref="AuthzHandler.AuthorizeAsync"/>) then asks the profile only for its answers, so no branch
/// on the shape lives anywhere else.
/// </summary>
internal abstract class AuthzProfile
{
    /// <summary>Traefik, Caddy and the gateway.</summary>
    public static AuthzProfile ForwardAuth { get; } = new ForwardAuthProfile();

    /// <summary>nginx <c>auth_request</c>.</summary>
    public static AuthzProfile AuthRequest { get; } = new AuthRequestProfile();

    /// <summary><c>/api/verify</c>.</summary>
    public static AuthzProfile Legacy { get; } = new LegacyProfile();

    public static AuthzProfile For(AuthzImplementation implementation) => implementation switch
    {
        AuthzImplementation.ForwardAuth => ForwardAuth,
        AuthzImplementation.AuthRequest => AuthRequest,
        AuthzImplementation.Legacy => Legacy,
        _ => throw new ArgumentOutOfRangeException(nameof(implementation), implementation, null),
    };

    public abstract AuthzImplementation Implementation { get; }

    /// <summary>Authelia's strategies for an endpoint that lists none.</summary>
    public abstract IReadOnlyList<AuthnStrategy> DefaultStrategies { get; }

    /// <summary>False: GET and HEAD at the endpoint's path only (all a proxy sends). True: any method and sub-path.</summary>
    public virtual bool AnswersAnyMethod => false;

    /// <summary>The answer to a call that cannot be decided: no usable target, not https, no cookie domain, a bad portal URL.</summary>
    public virtual int BadRequestStatus => 400;

    /// <summary>Without an override the portal is the cookie's <c>authelia_url</c>; false: there is none (a plain 401).</summary>
    public virtual bool PortalUrlFromCookie => true;

    /// <summary>The call as the decision reads it; false with <paramref name="error"/> when it names no usable target.</summary>
    /// <param name="clientIp">the client, resolved through trusted proxies</param>
    /// <param name="strategies">the endpoint's authn strategies</param>
    public bool TryRead(HttpRequest request, IPAddress clientIp, IReadOnlyList<AuthnStrategy> strategies, [NotNullWhen(true)] out AuthzRequest? authz, out string error)
    {
        ArgumentNullException.ThrowIfNull(request);
        authz = null;
        if (!TryParseTarget(request, out var target, out error))
        {
            return false;
        }
        var headers = request.Headers;
        authz = new AuthzRequest
        {
            Profile = this,
            Target = target,
            OriginalUrl = OriginalUrl(headers, target),
            ClientIp = clientIp,
            Cookies = headers.Cookie,
            Authorization = headers.Authorization.ToString(),
            ProxyAuthorization = headers.ProxyAuthorization.ToString(),
            Accept = headers.Accept.ToString(),
            RequestedWith = headers.XRequestedWith.ToString(),
            SessionUsername = headers["Session-Username"].ToString(),
            PortalUrlOverride = PortalUrlOverride(request),
            BasicDemanded = DemandsBasic(request),
            Strategies = strategies,
        };
        return true;
    }

    /// <summary>The canonical target the call asks about, from this proxy's headers.</summary>
    protected abstract bool TryParseTarget(HttpRequest request, out AccessTarget target, out string error);

    /// <summary>
    /// The URL as the user asked for it, for <c>rd</c>: canonical forms can differ (decoded slashes) and must not be
    /// where they land. Here from <c>X-Forwarded-Host</c> and <c>X-Forwarded-Uri</c>.
    /// </summary>
    protected virtual string OriginalUrl(IHeaderDictionary headers, AccessTarget target)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(target);
        var host = headers["X-Forwarded-Host"].ToString();
        var uri = headers["X-Forwarded-Uri"].ToString();
        // Without X-Forwarded-Uri the URL is just scheme://host, as Authelia builds it (no trailing slash in rd).
        return host.Length > 0 ? $"{target.Scheme}://{host}{uri}" : target.ToString();
    }

    /// <summary>
    /// A per-call portal URL, checked by the decision like a login redirect target (https, within the cookie domain).
    /// Here the query's <c>authelia_url</c>.
    /// </summary>
    protected virtual string? PortalUrlOverride(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return NonEmpty(request.Query["authelia_url"].ToString());
    }

    /// <summary>Whether the call demands basic credentials in <c>Authorization</c> (<c>HeaderLegacy</c>).</summary>
    protected virtual bool DemandsBasic(HttpRequest request) => false;

    /// <summary>
    /// The "log in first" answer (Authelia's rules): 401 for API clients (XMLHttpRequest, or an Accept that would not
    /// render the login page) and a 302/303 redirect for browsers. <c>Location</c> is set in every case so a proxy can
    /// redirect on its own; without a portal URL, a plain 401.
    /// </summary>
    public virtual AuthzReply Unauthorized(string? redirectUrl, string method, string accept, string requestedWith)
    {
        if (redirectUrl is null)
        {
            return AuthzReply.Plain(401);
        }
        var status = requestedWith == "XMLHttpRequest" || !AuthzReply.AcceptsHtml(accept) ? 401
            : method is "GET" or "HEAD" or "OPTIONS" or "" ? 302 : 303;
        return AuthzReply.LoginLink(status, redirectUrl);
    }

    protected static string? NonEmpty(string value) => string.IsNullOrEmpty(value) ? null : value;
}
