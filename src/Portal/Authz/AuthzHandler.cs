using System.Text;
using Microsoft.Extensions.Logging;
using Portal.Authentication;
using Portal.Authorization;
using Portal.Configuration;
using Portal.Infrastructure;
using Portal.Regulation;
using Portal.Session;

namespace Portal.Authz;

/// <summary>
/// The forward-auth endpoints (<c>/api/authz/forward-auth</c>, <c>/api/authz/auth-request</c>, <c>/api/verify</c>):
/// Authelia's pipeline — build the target, check it, authenticate (basic credentials, then the session cookie),
/// apply the rules, answer — with every failure closed: nothing but a completed decision ever yields 200.
/// </summary>
internal sealed partial class AuthzHandler(
    PortalOptions options,
    AccessControlEngine engine,
    SessionProvider sessions,
    TrustedProxies proxies,
    IUserProvider users,
    Regulator regulator,
    BasicCredentialCache basicCache,
    TimeProvider time,
    ILogger<AuthzHandler> logger)
{
    private const string BasicRealm = "Basic realm=\"Authorization Required\"";
    private static readonly TimeSpan BasicFailureDelay = TimeSpan.FromSeconds(2);

    private bool PasskeyUvIsTwoFactor => options.WebAuthn.ExperimentalEnablePasskeyUvTwoFactors;

    public async Task HandleAsync(HttpContext context, AuthzImplementation implementation)
    {
        var reply = await DecideAsync(context, implementation, context.RequestAborted);
        await reply.WriteAsync(context.Response, HttpMethods.IsHead(context.Request.Method));
    }

    private async Task<AuthzReply> DecideAsync(HttpContext context, AuthzImplementation implementation, CancellationToken ct)
    {
        var request = context.Request;
        if (!context.FromTrustedProxy(proxies))
        {
            // The target comes from headers any client can write; only a proxy we trust may ask.
            LogUntrustedPeer(logger, context.Connection.RemoteIpAddress?.ToString() ?? "unknown", request.Path);
            return AuthzReply.Plain(403);
        }

        var badRequest = implementation == AuthzImplementation.Legacy ? 401 : 400;
        var rawPath = request.PathBase.Add(request.Path).ToUriComponent() + request.QueryString.ToUriComponent();
        if (!AuthzRequestParser.TryParse(implementation, request.Headers, request.Method, rawPath, request.Host.Value ?? "", out var target, out var parseError))
        {
            LogBadTarget(logger, implementation, parseError);
            return AuthzReply.Plain(badRequest);
        }
        if (target.Scheme is not ("https" or "wss"))
        {
            LogInsecureTarget(logger, target.ToString());
            return AuthzReply.Plain(badRequest);
        }
        var manager = sessions.ForHost(target.Host);
        if (manager is null)
        {
            LogNoCookieDomain(logger, target.Host);
            return AuthzReply.Plain(badRequest);
        }
        if (!TryPortalUrl(implementation, request, manager, out var portalUrl))
        {
            LogBadPortalUrl(logger, target.Host);
            return AuthzReply.Plain(badRequest);
        }

        var clientIp = context.ClientIp(proxies);
        var basic = await AuthenticateBasicAsync(implementation, request, target, clientIp, ct);

        var cookies = new List<string>();
        string? username = basic.Username;
        IReadOnlyList<string> groups = [];
        UserDetails? details = basic.Username is { } u ? users.GetDetails(u) : null;
        var level = details is null ? AuthenticationLevel.NotAuthenticated : AuthenticationLevel.OneFactor;
        var storeUnavailable = false;
        if (details is null)
        {
            username = null;
            try
            {
                (details, level) = await AuthenticateCookieAsync(request, manager, cookies, ct);
                username = details?.Username;
            }
            catch (SessionStoreUnavailableException e)
            {
                LogStoreUnavailable(logger, e.Message);
                storeUnavailable = true;
            }
        }
        if (details is not null)
        {
            groups = details.Groups;
        }

        var subject = new Subject(username, groups, clientIp);
        var decision = engine.Decide(subject, target);
        var outcome = AuthzDecision.Evaluate(decision, level);

        AuthzReply reply;
        if (storeUnavailable && decision.Policy != Policy.Bypass)
        {
            // Anonymous-bypass is the same for everyone (a bypass rule has no subject), so only that may pass.
            reply = AuthzReply.Plain(503);
        }
        else if (basic.Failed && decision.Policy != Policy.Bypass && !decision.HasSubject)
        {
            reply = basic.Challenge;
        }
        else if (outcome == AuthzOutcome.Unauthorized && basic.Username is not null)
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
                _ => AuthzReply.Unauthorized(implementation, portalUrl is null ? null : PortalRedirect.Build(portalUrl, OriginalUrl(implementation, request, target), target.Method),
                    target.Method, request.Headers.Accept.ToString(), request.Headers["X-Requested-With"].ToString()),
            };
        }
        LogDecision(logger, target, target.Method, username ?? "<anonymous>", clientIp, decision.Policy, decision.Rule ?? 0, reply.Status);
        return cookies.Count == 0 ? reply : reply with { Headers = [.. reply.Headers, .. cookies.Select(c => new KeyValuePair<string, string>("Set-Cookie", c))] };
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
    /// https URL within the cookie domain. Legacy calls without one get a plain 401.
    /// </summary>
    private static bool TryPortalUrl(AuthzImplementation implementation, HttpRequest request, SessionManager manager, out Uri? portalUrl)
    {
        portalUrl = null;
        string? overrideValue = implementation switch
        {
            AuthzImplementation.Legacy => NonEmpty(request.Query["rd"].ToString()) ?? NonEmpty(request.Headers["X-Authelia-URL"].ToString()),
            _ => NonEmpty(request.Query["authelia_url"].ToString()),
        };
        if (overrideValue is null)
        {
            if (implementation == AuthzImplementation.Legacy)
            {
                return true;
            }
            return Uri.TryCreate(manager.Cookie.AutheliaUrl, UriKind.Absolute, out portalUrl);
        }
        if (!Uri.TryCreate(overrideValue, UriKind.Absolute, out var candidate) || candidate.Scheme != "https" || candidate.UserInfo.Length > 0 || !manager.Cookie.Covers(candidate.IdnHost))
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
        return host.Length > 0 ? $"{target.Scheme}://{host}{(uri.Length == 0 ? "/" : uri)}" : target.ToString();
    }

    private async Task<(UserDetails? Details, AuthenticationLevel Level)> AuthenticateCookieAsync(HttpRequest request, SessionManager manager, List<string> cookies, CancellationToken ct)
    {
        var active = await manager.LoadFromCookieHeadersAsync(request.Headers.Cookie, ct);
        if (active.Session.IsAnonymous)
        {
            if (active.CookieRejected)
            {
                cookies.Add(manager.BuildExpiredCookie());
            }
            return (null, AuthenticationLevel.NotAuthenticated);
        }
        // Re-read the user on every request (the file backend is in memory): a disabled or deleted user, or changed
        // groups, take effect at once rather than at the next refresh.
        var details = users.GetDetails(active.Session.Username);
        if (details is null || !string.Equals(details.Username, active.Session.Username, StringComparison.Ordinal))
        {
            LogUserGone(logger, active.Session.Username);
            cookies.Add(await manager.DestroyAsync(active, ct));
            return (null, AuthenticationLevel.NotAuthenticated);
        }
        if (request.Headers["Session-Username"].ToString() is { Length: > 0 } claimed && !string.Equals(claimed, details.Username, StringComparison.OrdinalIgnoreCase))
        {
            // Authelia's hijack check: the proxy says which user this browser should be.
            cookies.Add(await manager.DestroyAsync(active, ct));
            return (null, AuthenticationLevel.NotAuthenticated);
        }
        active.Session.SetUser(details);
        if (await manager.TouchAsync(active, ct) is { } setCookie)
        {
            cookies.Add(setCookie);
        }
        return (details, active.Session.Level(PasskeyUvIsTwoFactor));
    }

    private sealed record BasicResult(string? Username, bool Failed, AuthzReply Challenge);

    /// <summary>
    /// <c>Authorization: Basic</c> (ForwardAuth, AuthRequest) or, for <c>/api/verify</c>, <c>Proxy-Authorization</c>
    /// (or <c>Authorization</c> with <c>?auth=basic</c>). Regulated like the login form; a verified credential is
    /// cached briefly so argon2 is not recomputed per request.
    /// </summary>
    private async Task<BasicResult> AuthenticateBasicAsync(AuthzImplementation implementation, HttpRequest request, AccessTarget target, System.Net.IPAddress clientIp, CancellationToken ct)
    {
        var legacyAuthorization = implementation == AuthzImplementation.Legacy && request.Query["auth"] == "basic";
        var useProxyHeader = implementation == AuthzImplementation.Legacy && !legacyAuthorization;
        var header = useProxyHeader ? request.Headers.ProxyAuthorization.ToString() : request.Headers.Authorization.ToString();
        var challenge = useProxyHeader
            ? new AuthzReply(407, [new("Proxy-Authenticate", BasicRealm)], "407 Proxy Authentication Required", "text/plain; charset=utf-8")
            : new AuthzReply(401, [new("WWW-Authenticate", BasicRealm)], "401 Unauthorized", "text/plain; charset=utf-8");
        if (header.Length == 0)
        {
            // With ?auth=basic the header is mandatory; otherwise its absence just means "try the cookie".
            return new BasicResult(null, legacyAuthorization, challenge);
        }
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return new BasicResult(null, legacyAuthorization, challenge);
        }
        if (!TryDecodeBasic(header[6..].Trim(), out var login, out var password))
        {
            return new BasicResult(null, true, challenge);
        }
        if (basicCache.TryGet(login, password) is { } cached)
        {
            return new BasicResult(cached, false, challenge);
        }

        var started = time.GetTimestamp();
        var canonical = users.ResolveUsername(login) ?? login;
        var ban = await regulator.BanCheckAsync(canonical, clientIp, ct);
        // Hash even when banned so a banned user's response time is a wrong password's.
        var valid = users.CheckPassword(login, password) && !ban.IsBanned;
        await regulator.RecordAttemptAsync(new AuthenticationAttempt(valid, ban.IsBanned, canonical, AuthenticationTypes.OneFactor, clientIp, target.ToString(), target.Method), ct);
        if (!valid)
        {
            var remaining = BasicFailureDelay - time.GetElapsedTime(started);
            if (remaining > TimeSpan.Zero)
            {
                await Task.Delay(remaining, time, ct);
            }
            return new BasicResult(null, true, challenge);
        }
        basicCache.Add(login, password, canonical);
        return new BasicResult(canonical, false, challenge);
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

    [LoggerMessage(EventId = 1105, Level = LogLevel.Error, Message = "Session store unavailable, failing closed: {Error}")]
    private static partial void LogStoreUnavailable(ILogger logger, string error);

    [LoggerMessage(EventId = 1106, Level = LogLevel.Information, Message = "User {Username} no longer exists or is disabled; session destroyed")]
    private static partial void LogUserGone(ILogger logger, string username);

    [LoggerMessage(EventId = 1107, Level = LogLevel.Information, Message = "Access to {Target} (method {Method}) by {Username} from {Ip}: policy {Policy} (rule {Rule}), status {Status}")]
    private static partial void LogDecision(ILogger logger, AccessTarget target, string method, string username, System.Net.IPAddress ip, Policy policy, int rule, int status);
}
