using System.Text;
using Microsoft.Extensions.Logging;
using Portal.Users;
using Portal.AccessControl;
using Portal.Configuration;
using Portal.FirstFactor;
using Portal.Infrastructure;
using Portal.Regulation;
using Portal.Session;

namespace Portal.ForwardAuth;

/// <summary>
/// The forward-auth decision (<c>/api/authz/forward-auth</c>, <c>/api/authz/auth-request</c>, <c>/api/verify</c>, and
/// the gateway): Authelia's pipeline — check the target, authenticate (basic credentials, then the session
/// cookie), apply the rules, answer — with every failure closed: nothing but a completed decision is Authorized.
/// </summary>
internal sealed partial class AuthzHandler(
    PortalOptions options,
    AccessControlEngine engine,
    SessionProvider sessions,
    TrustedProxies proxies,
    IUserProvider users,
    RegulatedCredential regulated,
    BasicCredentialCache basicCache,
    SafeRedirect safeRedirect,
    ILogger<AuthzHandler> logger)
{
    private const string BasicRealm = "Basic realm=\"Authorization Required\"";

    private bool PasskeyUvIsTwoFactor => options.WebAuthn.ExperimentalEnablePasskeyUvTwoFactors;

    /// <summary>The authz endpoints: only trusted proxies may ask; the target comes from their headers.</summary>
    public async Task HandleAsync(HttpContext context, AuthzEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(endpoint);
        var implementation = endpoint.Implementation;
        var request = context.Request;
        var isHead = HttpMethods.IsHead(request.Method);
        AuthzReply reply;
        if (!context.FromTrustedProxy(proxies))
        {
            // The target comes from headers any client can write; only a proxy we trust may ask.
            LogUntrustedPeer(logger, context.Connection.RemoteIpAddress?.ToString() ?? "unknown", request.Path);
            reply = AuthzReply.Plain(403);
        }
        else
        {
            var rawPath = request.PathBase.Add(request.Path).ToUriComponent() + request.QueryString.ToUriComponent();
            if (AuthzRequestParser.TryParse(implementation, request.Headers, request.Method, rawPath, request.Host.Value ?? "", out var target, out var parseError))
            {
                var authz = new AuthzRequest(implementation, target, OriginalUrl(implementation, request, target), context.ClientIp(proxies), request.Headers, request.Query,
                    Strategies: endpoint.Strategies);
                reply = (await AuthorizeAsync(authz, context.RequestAborted)).Reply;
                // A HEAD answer has no body, whether the proxy itself sent HEAD or forwards a HEAD (Authelia's rule).
                isHead |= target.Method == HttpMethods.Head;
            }
            else
            {
                LogBadTarget(logger, implementation, parseError);
                reply = AuthzReply.Plain(implementation == AuthzImplementation.Legacy ? 401 : 400);
            }
        }
        // Marks the answer as a decision of this endpoint: the remote gateway forwards only on a 200 that carries it,
        // so a wrong gateway.portal_url (a page that answers 200) cannot pass for "allowed".
        context.Response.Headers[DecisionHeader] = endpoint.Name;
        await reply.WriteAsync(context.Response, isHead);
    }

    /// <summary>Sent with every answer of the authz endpoints, naming the endpoint (<c>server.endpoints.authz</c>) that decided.</summary>
    public const string DecisionHeader = "Portal-Authz-Decision";

    /// <summary>The decision for one request; never throws for bad input, and fails closed on store outages.</summary>
    public async Task<AuthzResult> AuthorizeAsync(AuthzRequest authz, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(authz);
        var (implementation, target) = (authz.Implementation, authz.Target);
        var badRequest = implementation == AuthzImplementation.Legacy ? 401 : 400;
        AuthzResult Refuse(int status) => new(AuthzOutcome.Forbidden, AuthzReply.Plain(status), null);
        if (target.Scheme is not ("https" or "wss") && !(authz.AllowPlainHttp && target.Scheme is "http" or "ws"))
        {
            LogInsecureTarget(logger, target.ToString());
            return Refuse(badRequest);
        }
        if (target.IsAmbiguous && options.AccessControl.AmbiguousPaths == AmbiguousPathsNames.Refuse)
        {
            LogAmbiguousPath(logger, target.ToString(), string.Join(", ", target.Readings.Skip(1).Select(r => r.Path)));
            return Refuse(badRequest);
        }
        var manager = sessions.ForHost(target.Host);
        if (manager is null)
        {
            LogNoCookieDomain(logger, target.Host);
            return Refuse(badRequest);
        }
        if (!TryPortalUrl(implementation, authz.Query, authz.Headers, manager, out var portalUrl))
        {
            LogBadPortalUrl(logger, target.Host);
            return Refuse(badRequest);
        }

        var clientIp = authz.ClientIp;
        var cookies = new List<string>();
        var (details, methods, basic, storeUnavailable) = await AuthenticateAsync(authz, manager, cookies, ct);
        var username = details?.Username;
        IReadOnlyList<string> groups = details?.Groups ?? [];

        var subject = new Subject(username, groups, clientIp);
        var decision = engine.Decide(subject, target);
        var outcome = AuthzDecision.Evaluate(decision, methods, PasskeyUvIsTwoFactor);

        AuthzReply reply;
        if (storeUnavailable && decision.Policy != Policy.Bypass)
        {
            // Anonymous-bypass is the same for everyone (a bypass rule has no subject), so only that may pass.
            reply = AuthzReply.Plain(503);
        }
        else if (basic is { Failed: true } && decision.Policy != Policy.Bypass && !decision.HasSubject)
        {
            reply = basic.Challenge;
        }
        else if (outcome == AuthzOutcome.Unauthorized && basic is { Username: not null })
        {
            // Basic credentials prove one factor only: a two_factor rule asks for them again rather than redirecting.
            reply = basic.Challenge;
        }
        else
        {
            reply = outcome switch
            {
                AuthzOutcome.Authorized => Authorized(details),
                AuthzOutcome.Forbidden => AuthzReply.Plain(403),
                _ => AuthzReply.Unauthorized(implementation, portalUrl is null ? null : PortalRedirect.Build(portalUrl, authz.OriginalUrl, target.Method),
                    target.Method, authz.Headers.Accept.ToString(), authz.Headers["X-Requested-With"].ToString()),
            };
        }
        // Every allowed request is routine (debug: one line per request at info would dominate the log and the CPU of a
        // busy portal); a refusal is worth an info line.
        LogDecision(logger, reply.Status == 200 ? LogLevel.Debug : LogLevel.Information,
            target, target.Method, username ?? "<anonymous>", clientIp, decision.Policy, decision.Rule ?? 0, reply.Status);
        if (cookies.Count > 0)
        {
            reply = reply with { Headers = [.. reply.Headers, .. cookies.Select(c => new KeyValuePair<string, string>("Set-Cookie", c))] };
        }
        // Only a 200 means "forward": a challenge or a store outage overrides an Authorized rule outcome.
        var final = reply.Status switch
        {
            200 => AuthzOutcome.Authorized,
            403 => AuthzOutcome.Forbidden,
            _ => AuthzOutcome.Unauthorized,
        };
        return new AuthzResult(final, reply, final == AuthzOutcome.Authorized ? details : null);
    }

    private static AuthzReply Authorized(UserDetails? user)
    {
        if (user is null)
        {
            return new AuthzReply(200, [], null, null);
        }
        return new AuthzReply(200,
        [
            new("Remote-User", HeaderSafe(user.Username)),
            new("Remote-Groups", HeaderSafe(string.Join(',', user.Groups))),
            new("Remote-Name", HeaderSafe(user.DisplayName)),
            new("Remote-Email", HeaderSafe(user.Emails.Count > 0 ? user.Emails[0] : "")),
        ], null, null);
    }

    /// <summary>A users file is admin input, but a stray newline must still never split a response header.</summary>
    private static string HeaderSafe(string value)
    {
        if (!value.Any(char.IsControl))
        {
            return value;
        }
        var sb = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            sb.Append(char.IsControl(c) ? ' ' : c);
        }
        return sb.ToString();
    }

    /// <summary>
    /// The portal to send the user to: the cookie's <c>authelia_url</c>, or a per-proxy override (query
    /// <c>authelia_url</c>; for <c>/api/verify</c> query <c>rd</c> or header <c>X-Authelia-URL</c>) that must be an
    /// https URL within the cookie domain, spelled as strictly as a login redirect target (no whitespace, control
    /// characters, user info or unexpected port). Legacy calls without one get a plain 401.
    /// </summary>
    private bool TryPortalUrl(AuthzImplementation implementation, IQueryCollection query, IHeaderDictionary headers, SessionManager manager, out Uri? portalUrl)
    {
        portalUrl = null;
        string? overrideValue = implementation switch
        {
            AuthzImplementation.Legacy => NonEmpty(query["rd"].ToString()) ?? NonEmpty(headers["X-Authelia-URL"].ToString()),
            _ => NonEmpty(query["authelia_url"].ToString()),
        };
        if (overrideValue is null)
        {
            if (implementation == AuthzImplementation.Legacy)
            {
                return true;
            }
            portalUrl = manager.Cookie.PortalUri;
            return portalUrl is not null;
        }
        if (!safeRedirect.TryGetSafeUri(overrideValue, out var candidate) || candidate.Scheme != "https" || !manager.Cookie.Covers(candidate.IdnHost))
        {
            return false;
        }
        portalUrl = candidate;
        return true;
    }

    private static string? NonEmpty(string value) => value.Length == 0 ? null : value;

    /// <summary>The URL as the user asked for it, for <c>rd</c>: canonical forms can differ (decoded slashes) and must not be where they land.</summary>
    private static string OriginalUrl(AuthzImplementation implementation, HttpRequest request, AccessTarget target)
    {
        var original = request.Headers["X-Original-URL"].ToString();
        if (implementation != AuthzImplementation.ForwardAuth && original.Length > 0)
        {
            return original;
        }
        var host = request.Headers["X-Forwarded-Host"].ToString();
        var uri = request.Headers["X-Forwarded-Uri"].ToString();
        // Without X-Forwarded-Uri the URL is just scheme://host, as Authelia builds it (no trailing slash in rd).
        return host.Length > 0 ? $"{target.Scheme}://{host}{uri}" : target.ToString();
    }

    /// <summary>The signed-in user and the methods their session proved; (null, null) for anyone else.</summary>
    private async Task<(UserDetails? Details, AuthenticationMethods? Methods)> AuthenticateCookieAsync(IHeaderDictionary headers, SessionManager manager, List<string> cookies, CancellationToken ct)
    {
        var active = await manager.LoadFromCookieHeadersAsync(headers.Cookie, ct);
        if (active.Session.IsAnonymous)
        {
            if (active.CookieRejected)
            {
                cookies.Add(manager.BuildExpiredCookie());
            }
            return (null, null);
        }
        // Re-read the user on every request (the file backend is in memory): a disabled or deleted user, or changed
        // groups, take effect at once rather than at the next refresh.
        var details = users.GetDetails(active.Session.Username);
        if (details is null || !string.Equals(details.Username, active.Session.Username, StringComparison.Ordinal))
        {
            LogUserGone(logger, active.Session.Username);
            cookies.Add(await manager.DestroyAsync(active, ct));
            return (null, null);
        }
        if (headers["Session-Username"].ToString() is { Length: > 0 } claimed && !string.Equals(claimed, details.Username, StringComparison.OrdinalIgnoreCase))
        {
            // Authelia's hijack check: the proxy says which user this browser should be.
            cookies.Add(await manager.DestroyAsync(active, ct));
            return (null, null);
        }
        active.Session.SetUser(details);
        if (await manager.TouchAsync(active, ct) is { } setCookie)
        {
            cookies.Add(setCookie);
        }
        return (details, active.Session.AuthenticationMethods);
    }

    private sealed record BasicResult(string? Username, bool Failed, AuthzReply Challenge);

    private sealed record Authentication(UserDetails? Details, AuthenticationMethods? Methods, BasicResult? Basic, bool StoreUnavailable);

    /// <summary>
    /// The endpoint's strategies in order (Authelia's <c>authn_strategies</c>): a header strategy whose header is absent
    /// hands over to the next; one whose header is present decides — a user, or its own failure answer and no further
    /// strategy. The cookie names a user or nobody.
    /// </summary>
    private async Task<Authentication> AuthenticateAsync(AuthzRequest authz, SessionManager manager, List<string> cookies, CancellationToken ct)
    {
        foreach (var strategy in authz.Strategies ?? AuthzEndpoint.DefaultStrategies(authz.Implementation))
        {
            if (!strategy.IsHeader)
            {
                try
                {
                    var (details, methods) = await AuthenticateCookieAsync(authz.Headers, manager, cookies, ct);
                    if (details is not null)
                    {
                        return new Authentication(details, methods, null, false);
                    }
                }
                catch (SessionStoreUnavailableException e)
                {
                    LogStoreUnavailable(logger, e.Message);
                    return new Authentication(null, null, null, true);
                }
                continue;
            }
            var basic = await AuthenticateBasicAsync(strategy, authz.Headers, authz.Query, authz.Target, authz.ClientIp, ct);
            if (basic is null)
            {
                continue;
            }
            var user = basic.Username is { } u ? users.GetDetails(u) : null;
            // Basic credentials are a password: one factor, never a passkey.
            return user is null
                ? new Authentication(null, null, basic with { Username = null, Failed = true }, false)
                : new Authentication(user, new AuthenticationMethods { UsernameAndPassword = true }, basic, false);
        }
        return new Authentication(null, null, null, false);
    }

    private static readonly AuthzReply WwwAuthenticate =
        new(401, [new("WWW-Authenticate", BasicRealm)], "401 Unauthorized", "text/plain; charset=utf-8");

    private static readonly AuthzReply ProxyAuthenticate =
        new(407, [new("Proxy-Authenticate", BasicRealm)], "407 Proxy Authentication Required", "text/plain; charset=utf-8");

    /// <summary>
    /// One header strategy (Authelia's <c>HeaderAuthorization</c>, <c>HeaderProxyAuthorization</c>,
    /// <c>HeaderAuthRequestProxyAuthorization</c>, <c>HeaderLegacy</c>); null when its header is absent or names
    /// another scheme. Regulated like the login form; with <c>scheme_basic_cache_lifespan</c> a verified credential
    /// is remembered so argon2 is not recomputed per request.
    /// </summary>
    private async Task<BasicResult?> AuthenticateBasicAsync(AuthnStrategy strategy, IHeaderDictionary headers, IQueryCollection query, AccessTarget target, System.Net.IPAddress clientIp, CancellationToken ct)
    {
        // HeaderLegacy with ?auth=basic reads Authorization and then requires it; otherwise Proxy-Authorization.
        var legacyAuthorization = strategy.Kind == AuthnStrategyKind.HeaderLegacy && query["auth"] == "basic";
        var header = strategy.Kind switch
        {
            AuthnStrategyKind.HeaderAuthorization => headers.Authorization.ToString(),
            AuthnStrategyKind.HeaderLegacy when legacyAuthorization => headers.Authorization.ToString(),
            _ => headers.ProxyAuthorization.ToString(),
        };
        var challenge = strategy.Kind == AuthnStrategyKind.HeaderProxyAuthorization ? ProxyAuthenticate : WwwAuthenticate;
        if (header.Length == 0 || !header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            // Absent, or a scheme this strategy does not take: the next strategy decides (unless ?auth=basic demanded it).
            return legacyAuthorization ? new BasicResult(null, true, challenge) : null;
        }
        if (!TryDecodeBasic(header[6..].Trim(), out var login, out var password))
        {
            return new BasicResult(null, true, challenge);
        }

        var canonical = Usernames.Canonical(users, login);
        var check = await regulated.CheckAsync(
            new CredentialAttempt(canonical, clientIp, AuthenticationTypes.OneFactor, target.ToString(), target.Method, regulated.Delays.Basic)
            {
                Remembered = () => basicCache.TryGet(login, password),
            },
            _ => ValueTask.FromResult(CredentialVerdict.Of(users.CheckPassword(login, password))),
            ct);
        if (!check.Succeeded)
        {
            return new BasicResult(null, true, challenge);
        }
        if (!check.Remembered)
        {
            basicCache.Add(login, password, canonical, strategy.BasicCacheLifespan);
        }
        return new BasicResult(check.Username, false, challenge);
    }

    private static bool TryDecodeBasic(string encoded, out string login, out string password)
    {
        login = password = "";
        Span<byte> buffer = stackalloc byte[1024];
        if (encoded.Length > 1360 || !Convert.TryFromBase64String(encoded, buffer, out var written))
        {
            return false;
        }
        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(buffer[..written]);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == text.Length - 1)
        {
            return false;
        }
        login = text[..colon];
        password = text[(colon + 1)..];
        return true;
    }

    [LoggerMessage(EventId = 1100, Level = LogLevel.Warning, Message = "Forward-auth call to {Path} from untrusted peer {Peer} refused; add the proxy to server.trusted_proxies")]
    private static partial void LogUntrustedPeer(ILogger logger, string peer, string path);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Forward-auth call ({Implementation}) has no usable target: {Error}")]
    private static partial void LogBadTarget(ILogger logger, AuthzImplementation implementation, string error);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "Target URL {Target} is not https or wss; the proxy must send X-Forwarded-Proto (or an https X-Original-URL)")]
    private static partial void LogInsecureTarget(ILogger logger, string target);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning, Message = "Target host {Host} does not appear to have a relevant session cookies configuration")]
    private static partial void LogNoCookieDomain(ILogger logger, string host);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Warning, Message = "Portal URL override for {Host} is not an https URL within the cookie domain")]
    private static partial void LogBadPortalUrl(ILogger logger, string host);

    [LoggerMessage(EventId = 1108, Level = LogLevel.Warning, Message = "Target {Target} refused: its path also reads as {Readings} to other backends (access_control.ambiguous_paths: refuse)")]
    private static partial void LogAmbiguousPath(ILogger logger, string target, string readings);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Error, Message = "Session store unavailable, failing closed: {Error}")]
    private static partial void LogStoreUnavailable(ILogger logger, string error);

    [LoggerMessage(EventId = 1106, Level = LogLevel.Information, Message = "User {Username} no longer exists or is disabled; session destroyed")]
    private static partial void LogUserGone(ILogger logger, string username);

    [LoggerMessage(EventId = 1107, Message = "Access to {Target} (method {Method}) by {Username} from {Ip}: policy {Policy} (rule {Rule}), status {Status}")]
    private static partial void LogDecision(ILogger logger, LogLevel level, AccessTarget target, string method, string username, System.Net.IPAddress ip, Policy policy, int rule, int status);
}
