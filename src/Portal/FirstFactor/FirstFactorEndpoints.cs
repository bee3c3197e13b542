using Microsoft.AspNetCore.Http.HttpResults;
using Portal.ForwardAuth;
using Microsoft.Extensions.Logging;
using Portal.Users;
using Portal.AccessControl;
using Portal.Configuration;
using Portal.Infrastructure;
using Portal.Regulation;
using Portal.Session;

namespace Portal.FirstFactor;

/// <summary>
/// Password login and the session endpoints the login page uses: <c>/api/firstfactor</c>, <c>/api/state</c>,
/// <c>/api/logout</c>, <c>/api/checks/safe-redirection</c>, <c>/api/configuration</c>.
/// </summary>
internal static partial class FirstFactorEndpoints
{
    /// <summary>The one failure message for unknown user, wrong password and banned user alike.</summary>
    public const string AuthenticationFailed = "Authentication failed. Check your credentials.";

    public static IEndpointRouteBuilder MapFirstFactorEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup();
        api.MapPost("/firstfactor", FirstFactorAsync);
        api.MapGet("/state", State).RequireSession(SessionRequirement.Any);
        api.MapPost("/logout", LogoutAsync);
        api.MapPost("/checks/safe-redirection", SafeRedirection)
            .RequireBody<SafeRedirectionRequest>(_ => true, "Invalid request body.")
            .RequireSession(SessionRequirement.SignedIn with { RefusedStatus = StatusCodes.Status401Unauthorized, RefusesUnknownDomain = true });
        api.MapPost("/checks/access", AccessCheck)
            .RequireBody<AccessCheckRequest>(b => !string.IsNullOrEmpty(b.Uri), "Invalid request: 'uri' is required.")
            .RequireSession(new SessionRequirement(SessionNeed.User) { RefusedStatus = StatusCodes.Status401Unauthorized, RefusesUnknownDomain = true });
        api.MapGet("/configuration", Configuration).RequireSession(SessionRequirement.SignedIn with { RefusesUnknownDomain = true });
        return app;
    }

    /// <summary>The session is loaded only once the credential is right: a sign-in creates it rather than requiring one.</summary>
    private static async Task<Results<Ok<Api.OkBody>, Ok<Api.OkBody<RedirectData>>, JsonHttpResult<Api.KoBody>>> FirstFactorAsync(HttpContext context,
        PortalOptions options, PortalSessions sessions, IUserProvider users, RegulatedCredential regulated, AccessControlEngine engine, SafeRedirect safeRedirect,
        TrustedProxies proxies, TimeProvider time, ILogger<FirstFactorRequest> logger)
    {
        var ct = context.RequestAborted;
        var body = await Api.ReadAsync<FirstFactorRequest>(context.Request, ct);
        if (body is null || string.IsNullOrEmpty(body.Username) || string.IsNullOrEmpty(body.Password) || body.Username.Length > 256 || body.Password.Length > 1024)
        {
            return Api.Ko(400, "Invalid request: 'username' and 'password' are required.");
        }
        var manager = sessions.ManagerFor(context);
        if (manager is null)
        {
            LogNoCookieDomain(logger, context.PortalHost(proxies));
            return Api.Ko(400, RequireSessionFilter.UnknownDomain);
        }

        var clientIp = context.ClientIp(proxies);
        var canonical = Usernames.Canonical(users, body.Username);
        UserDetails? details = null;
        // Hashed even for a banned user (timing must not tell a ban); the user must still exist to count as right.
        var check = await regulated.CheckAsync(
            new CredentialAttempt(canonical, clientIp, AuthenticationTypes.OneFactor, body.TargetUrl ?? "", body.RequestMethod ?? "", regulated.Delays.Password),
            _ => ValueTask.FromResult(CredentialVerdict.Of(users.CheckPassword(body.Username, body.Password) && (details = users.GetDetails(body.Username)) is not null)),
            ct);
        if (!check.Succeeded || details is null)
        {
            LogFailed(logger, canonical, clientIp, check.Banned);
            return Api.Ko(401, AuthenticationFailed);
        }

        var active = await manager.LoadFromCookieHeadersAsync(context.Request.Headers.Cookie, ct);
        var now = time.GetUtcNow();
        active.Session.ResetForLogin(now);
        active.Session.SetOneFactorPassword(now, details, body.KeepMeLoggedIn == true && manager.Cookie.RememberMeEnabled);
        active.Session.RecordSignIn(clientIp.ToString(), context.Request.Headers.UserAgent);
        // A new id on every change of level: an id planted before login (fixation) is worthless after it.
        context.Response.Headers.Append("Set-Cookie", await manager.SignInAsync(active, ct));
        LogSucceeded(logger, details.Username, clientIp);

        return Respond(body.TargetUrl, body.RequestMethod, details, clientIp, manager, engine, safeRedirect, options, active.Session.AuthenticationMethods);
    }

    /// <summary>
    /// Where the browser goes next (Authelia's Handle1FAResponse): nowhere yet if the target needs a second factor,
    /// nowhere if this user may not open it at all, the target if it is safe, else the default redirection URL when no
    /// rule anywhere needs two factors.
    /// </summary>
    /// <param name="methods">what the session has proved: a two_factor target is sent to only when they satisfy its rule
    /// (a rule's <c>passkey_uv_two_factor</c> decides whether a user-verified passkey does)</param>
    /// <returns>never a KO: the type is the sign-in endpoints' answer, which returns it as it is</returns>
    internal static Results<Ok<Api.OkBody>, Ok<Api.OkBody<RedirectData>>, JsonHttpResult<Api.KoBody>> Respond(string? targetUrl, string? requestMethod,
        UserDetails user, System.Net.IPAddress clientIp, SessionManager manager, AccessControlEngine engine, SafeRedirect safeRedirect, PortalOptions options,
        AuthenticationMethods methods)
    {
        if (string.IsNullOrEmpty(targetUrl))
        {
            var fallback = manager.Cookie.DefaultRedirectionUrl;
            return !engine.IsSecondFactorEnabled && !string.IsNullOrEmpty(fallback) ? Api.Ok(new RedirectData(fallback)) : Api.Ok();
        }
        if (!safeRedirect.IsSafe(targetUrl))
        {
            return Api.Ok();
        }
        var method = string.IsNullOrEmpty(requestMethod) ? "GET" : requestMethod.ToUpperInvariant();
        if (AccessTarget.TryCreate(targetUrl, method, out var target, out _))
        {
            var decision = engine.Decide(new Subject(user.Username, user.Groups, clientIp), target);
            if (decision.Policy == Policy.Deny)
            {
                // Beyond Authelia, which redirects into the 403: no redirect, and the sign-in page shows its own
                // forbidden page (it asks /api/checks/access).
                return Api.Ok();
            }
            if (decision.Policy == Policy.TwoFactor && !options.WebAuthn.Disable
                && AuthzDecision.LevelUnder(decision, methods, options.WebAuthn.ExperimentalEnablePasskeyUvTwoFactors) < AuthenticationLevel.TwoFactor)
            {
                return Api.Ok();
            }
        }
        return Api.Ok(new RedirectData(targetUrl));
    }

    /// <summary>
    /// Where the browser goes once the session has two factors (Authelia's Handle2FAResponse): the target if it is
    /// safe, the default redirection URL when there is no target, else nowhere.
    /// </summary>
    /// <returns>never a KO (see <see cref="Respond"/>)</returns>
    internal static Results<Ok<Api.OkBody>, Ok<Api.OkBody<RedirectData>>, JsonHttpResult<Api.KoBody>> RespondTwoFactor(string? targetUrl,
        SessionManager manager, SafeRedirect safeRedirect)
    {
        if (string.IsNullOrEmpty(targetUrl))
        {
            var fallback = manager.Cookie.DefaultRedirectionUrl;
            return string.IsNullOrEmpty(fallback) ? Api.Ok() : Api.Ok(new RedirectData(fallback));
        }
        return safeRedirect.IsSafe(targetUrl) ? Api.Ok(new RedirectData(targetUrl)) : Api.Ok();
    }

    private static Ok<Api.OkBody<StateData>> State(HttpContext context, PortalSession portal, PortalOptions options)
    {
        var s = portal.Session;
        if (portal.Active.CookieRejected)
        {
            context.Response.Headers.Append("Set-Cookie", portal.Manager.BuildExpiredCookie());
        }
        return Api.Ok(new StateData(s.Username, (int)portal.Level, s.AuthenticationMethods.FactorKnowledge, portal.Manager.Cookie.DefaultRedirectionUrl,
            options.WebAuthn.EnablePasskeyLogin && !options.WebAuthn.Disable));
    }

    /// <summary>No session needed: logging out without one (or from an address under no cookie domain) is a no-op.</summary>
    private static async Task<Results<Ok<Api.OkBody<LogoutData>>, JsonHttpResult<Api.KoBody>>> LogoutAsync(HttpContext context, PortalSessions sessions,
        SafeRedirect safeRedirect)
    {
        var body = context.Request.ContentLength is null or 0 ? new LogoutRequest(null) : await Api.ReadAsync<LogoutRequest>(context.Request, context.RequestAborted);
        if (body is null)
        {
            return Api.Ko(400, "Invalid request body.");
        }
        if (await sessions.LoadAsync(context) is { } l)
        {
            context.Response.Headers.Append("Set-Cookie", await l.Manager.DestroyAsync(l.Active, context.RequestAborted));
        }
        return Api.Ok(new LogoutData(safeRedirect.IsSafe(body.TargetUrl)));
    }

    private static Ok<Api.OkBody<SafeRedirectionData>> SafeRedirection(JsonBody<SafeRedirectionRequest> body, SafeRedirect safeRedirect) =>
        Api.Ok(new SafeRedirectionData(safeRedirect.IsSafe(body.Value.Uri)));

    /// <summary>
    /// Beyond Authelia: what this session may do at a target, so the pages send a signed-in user to the second-factor
    /// page only when more factors would open it, and to the forbidden page when nothing would. The same decision as
    /// the authz endpoints (<see cref="AuthzDecision.Evaluate"/>); only for a signed-in session and a safe target, so it
    /// tells nobody more than a visit to the target would.
    /// </summary>
    private static Results<Ok<Api.OkBody<AccessCheckData>>, JsonHttpResult<Api.KoBody>> AccessCheck(HttpContext context, JsonBody<AccessCheckRequest> body,
        PortalSession portal, PortalOptions options, IUserProvider users, AccessControlEngine engine, SafeRedirect safeRedirect, TrustedProxies proxies)
    {
        var methods = portal.Session.AuthenticationMethods;
        var user = users.GetDetails(portal.Session.Username);
        if (user is null)
        {
            return Api.Ko(401, "Unauthorized");
        }
        var uri = body.Value.Uri ?? "";
        var method = string.IsNullOrEmpty(body.Value.Method) ? "GET" : body.Value.Method.ToUpperInvariant();
        if (!safeRedirect.IsSafe(uri) || !AccessTarget.TryCreate(uri, method, out var target, out _))
        {
            return Api.Ko(400, "That address is not an app this portal protects.");
        }
        var decision = engine.Decide(new Subject(user.Username, user.Groups, context.ClientIp(proxies)), target);
        var access = AuthzDecision.Evaluate(decision, methods, options.WebAuthn.ExperimentalEnablePasskeyUvTwoFactors) switch
        {
            AuthzOutcome.Authorized => "allowed",
            AuthzOutcome.Forbidden => "forbidden",
            _ => "more_factors",
        };
        return Api.Ok(new AccessCheckData(access));
    }

    private static Ok<Api.OkBody<ConfigurationData>> Configuration(PortalSession portal, PortalOptions options, AccessControlEngine engine)
    {
        // Authelia's names; the second-factor page offers those of them the user has.
        IReadOnlyList<string> methods = !engine.IsSecondFactorEnabled ? []
            : [.. new[] { (!options.Totp.Disable, "totp"), (!options.WebAuthn.Disable, "webauthn") }.Where(m => m.Item1).Select(m => m.Item2)];
        return Api.Ok(new ConfigurationData(methods, options.AuthenticationBackend.PasswordChange.Disable, options.AuthenticationBackend.PasswordReset.Disable,
            options.WebAuthn.EnablePasskeyLogin, portal.Manager.Cookie.RememberMeEnabled));
    }

    [LoggerMessage(EventId = 1200, Level = LogLevel.Warning, Message = "Login request for host {Host}, which is under no session cookie domain")]
    private static partial void LogNoCookieDomain(ILogger logger, string host);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "Password login failed for {Username} from {Ip} (banned: {Banned})")]
    private static partial void LogFailed(ILogger logger, string username, System.Net.IPAddress ip, bool banned);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Information, Message = "Password login succeeded for {Username} from {Ip}")]
    private static partial void LogSucceeded(ILogger logger, string username, System.Net.IPAddress ip);
}
