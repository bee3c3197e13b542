using System.Text;
using Microsoft.Extensions.Logging;
using Portal.AccessControl;
using Portal.Configuration;
using Portal.FirstFactor;
using Portal.Infrastructure;
using Portal.Session;
using Portal.Users;

namespace Portal.ForwardAuth;

/// <summary>
/// The forward-auth decision (<c>/api/authz/forward-auth</c>, <c>/api/authz/auth-request</c>, <c>/api/verify</c>, and
/// the gateway): Authelia's pipeline — check the target, authenticate (the endpoint's strategies, in order), apply the
/// rules, answer as the calling proxy's <see cref="AuthzProfile"/> wants — with every failure closed: nothing but a
/// completed decision is Authorized.
/// </summary>
internal sealed partial class AuthzHandler(
    PortalOptions options,
    AccessRules rules,
    SessionProvider sessions,
    TrustedProxies proxies,
    AuthzAuthenticators authenticators,
    SafeRedirect safeRedirect,
    AuthzMetrics metrics,
    SessionMetrics sessionMetrics,
    Audit.AuditTrail audit,
    ILogger<AuthzHandler> logger)
{
    private bool PasskeyUvIsTwoFactor => options.WebAuthn.ExperimentalEnablePasskeyUvTwoFactors;

    /// <summary>The authz endpoints: only trusted proxies may ask; the target comes from their headers.</summary>
    public async Task HandleAsync(HttpContext context, AuthzEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(endpoint);
        var profile = endpoint.Profile;
        var request = context.Request;
        var isHead = HttpMethods.IsHead(request.Method);
        AuthzReply reply;
        if (!context.FromTrustedProxy(proxies))
        {
            // The target comes from headers any client can write; only a proxy we trust may ask.
            LogUntrustedPeer(logger, context.Connection.RemoteIpAddress?.ToString() ?? "unknown", request.Path);
            reply = AuthzReply.Plain(403);
        }
        else if (profile.TryRead(request, context.ClientIp(proxies), endpoint.Strategies, out var authz, out var parseError))
        {
            reply = (await AuthorizeAsync(authz, context.RequestAborted)).Reply;
            // A HEAD answer has no body, whether the proxy itself sent HEAD or forwards a HEAD (Authelia's rule).
            isHead |= authz.Target.Method == HttpMethods.Head;
        }
        else
        {
            LogBadTarget(logger, profile.Implementation, parseError);
            reply = AuthzReply.Plain(profile.BadRequestStatus);
        }
        // Marks the answer as a decision of this endpoint: the remote gateway forwards only on a 200 that carries it,
        // so a wrong gateway.portal_url (a page that answers 200) cannot pass for "allowed".
        context.Response.Headers[DecisionHeader] = endpoint.Name;
        metrics.Answered(reply.Status);
        await reply.WriteAsync(context.Response, isHead);
    }

    /// <summary>Sent with every answer of the authz endpoints, naming the endpoint (<c>server.endpoints.authz</c>) that decided.</summary>
    public const string DecisionHeader = "Portal-Authz-Decision";

    /// <summary>The decision for one request; never throws for bad input, and fails closed on store outages.</summary>
    public async Task<AuthzResult> AuthorizeAsync(AuthzRequest authz, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(authz);
        var (profile, target) = (authz.Profile, authz.Target);
        AuthzResult Refuse() => new(AuthzOutcome.Forbidden, AuthzReply.Plain(profile.BadRequestStatus), null);
        if (target.Scheme is not ("https" or "wss") && !(authz.AllowPlainHttp && target.Scheme is "http" or "ws"))
        {
            LogInsecureTarget(logger, target.ToString());
            return Refuse();
        }
        // One engine for the whole decision, whatever a reload swaps in meanwhile.
        var engine = rules.Current;
        if (target.IsAmbiguous && engine.RefuseAmbiguousPaths)
        {
            LogAmbiguousPath(logger, target.ToString(), string.Join(", ", target.Readings.Skip(1).Select(r => r.Path)));
            return Refuse();
        }
        var manager = sessions.ForHost(target.Host);
        if (manager is null)
        {
            LogNoCookieDomain(logger, target.Host);
            return Refuse();
        }
        if (!TryPortalUrl(authz, manager, out var portalUrl))
        {
            LogBadPortalUrl(logger, target.Host);
            return Refuse();
        }

        var clientIp = authz.ClientIp;
        var cookies = new List<string>();
        var authn = await authenticators.AuthenticateAsync(authz, manager, cookies, ct);
        var details = authn.User;
        var username = details?.Username;
        IReadOnlyList<string> groups = details?.Groups ?? [];

        var subject = new Subject(username, groups, clientIp);
        var decision = engine.Decide(subject, target);
        var outcome = AuthzDecision.Evaluate(decision, authn.Methods, PasskeyUvIsTwoFactor);

        AuthzReply reply;
        if (authn.StoreUnavailable && decision.Policy != Policy.Bypass)
        {
            // Anonymous-bypass is the same for everyone (a bypass rule has no subject), so only that may pass.
            reply = AuthzReply.Plain(503);
            sessionMetrics.StoreFailed();
        }
        else if (authn is { Challenge: { } refused, User: null } && decision.Policy != Policy.Bypass && !decision.HasSubject)
        {
            // A refused credential is answered with its challenge unless the rule needs nobody.
            reply = refused;
        }
        else if (outcome == AuthzOutcome.Unauthorized && authn is { Challenge: { } again, User: not null })
        {
            // Basic credentials prove one factor only: a two_factor rule asks for them again rather than redirecting.
            reply = again;
        }
        else
        {
            reply = outcome switch
            {
                AuthzOutcome.Authorized => Authorized(details),
                AuthzOutcome.Forbidden => AuthzReply.Plain(403),
                _ => profile.Unauthorized(portalUrl is null ? null : PortalRedirect.Build(portalUrl, authz.OriginalUrl, target.Method),
                    target.Method, authz.Accept, authz.RequestedWith),
            };
        }
        // Every allowed request is routine (debug: one line per request at info would dominate the log and the CPU of a
        // busy portal); a refusal is worth an info line.
        LogDecision(logger, reply.Status == 200 ? LogLevel.Debug : LogLevel.Information,
            target, target.Method, username ?? "<anonymous>", clientIp, decision.Policy, decision.Rule ?? 0, reply.Status);
        if (reply.Status == 403)
        {
            audit.AccessDenied(username ?? "", clientIp, target.Method, target.ToString());
        }
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

    private static readonly AuthzReply AllowedAnonymously = new(200, [], null, null);

    // Built once per user as the users file holds them (a reload makes new UserDetails), not on every allowed request.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<UserDetails, AuthzReply> AllowedReplies = [];

    private static AuthzReply Authorized(UserDetails? user) =>
        user is null ? AllowedAnonymously : AllowedReplies.GetValue(user, static u => new AuthzReply(200,
        [
            new("Remote-User", HeaderSafe(u.Username)),
            new("Remote-Groups", HeaderSafe(string.Join(',', u.Groups))),
            new("Remote-Name", HeaderSafe(u.DisplayName)),
            new("Remote-Email", HeaderSafe(u.Emails.Count > 0 ? u.Emails[0] : "")),
        ], null, null));

    /// <summary>A users file is admin input, but a stray newline must still never split a response header.</summary>
    private static string HeaderSafe(string value)
    {
        if (!HasControl(value))
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

    // A loop rather than LINQ: this runs four times on every allowed request.
    private static bool HasControl(string value)
    {
        foreach (var c in value)
        {
            if (char.IsControl(c))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// The portal to send the user to: the override the call names (<see cref="AuthzRequest.PortalUrlOverride"/>),
    /// which must be an https URL within the cookie domain spelled as strictly as a login redirect target (no
    /// whitespace, control characters, user info or unexpected port); else the cookie's <c>authelia_url</c> when the
    /// profile uses it (Legacy calls without an override get a plain 401).
    /// </summary>
    private bool TryPortalUrl(AuthzRequest authz, SessionManager manager, out Uri? portalUrl)
    {
        portalUrl = null;
        if (authz.PortalUrlOverride is not { } overrideValue)
        {
            if (!authz.Profile.PortalUrlFromCookie)
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

    // 1105 and 1106 are SessionCookieAuthenticator's.

    [LoggerMessage(EventId = 1107, Message = "Access to {Target} (method {Method}) by {Username} from {Ip}: policy {Policy} (rule {Rule}), status {Status}")]
    private static partial void LogDecision(ILogger logger, LogLevel level, AccessTarget target, string method, string username, System.Net.IPAddress ip, Policy policy, int rule, int status);
}
