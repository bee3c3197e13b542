using Microsoft.AspNetCore.Http.HttpResults;
using Portal.Infrastructure;
using Portal.Session;

namespace Portal.UserSessions;

/// <summary>
/// "Your sessions" on the settings page: the signed-in user sees where they are signed in and ends any other session,
/// or all of them ("sign out everywhere else"). Ending is a delete in the session store, so with Redis every node
/// refuses the session on its next request. The page sees handles (<see cref="SessionHandles"/>), never ids.
/// </summary>
internal static partial class UserSessionsEndpoints
{
    public const string NotFound = "No such session.";
    public const string IsCurrent = "This is the session you are using: sign out instead.";

    public static IEndpointRouteBuilder MapUserSessionsEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup();
        api.MapGet("/user/sessions", ListAsync).RequireSession(SessionRequirement.SignedIn);
        api.MapDelete("/user/sessions/{handle}", EndAsync).RequireSession(SessionRequirement.SignedIn);
        api.MapPost("/user/sessions/end-others", EndOthersAsync).RequireSession(SessionRequirement.SignedIn);
        return app;
    }

    private static async Task<Ok<Api.OkBody<List<UserSessionView>>>> ListAsync(HttpContext context, PortalSession portal, SessionProvider sessions)
    {
        var list = await sessions.ListForUserAsync(portal.Session.Username, context.RequestAborted);
        return Api.Ok(list.Select(s => View(s, portal)).ToList());
    }

    private static async Task<Results<Ok<Api.OkBody>, JsonHttpResult<Api.KoBody>>> EndAsync(string handle, HttpContext context, PortalSession portal,
        SessionProvider sessions, TrustedProxies proxies, Audit.AuditTrail audit, ILogger<UserSessionsRequest> logger)
    {
        if (handle == SessionHandles.Of(portal.Active.Id))
        {
            return Api.Ko(StatusCodes.Status400BadRequest, IsCurrent);
        }
        var ended = await sessions.RevokeAsync(portal.Session.Username, [handle], keepId: portal.Active.Id, context.RequestAborted);
        if (ended == 0)
        {
            return Api.Ko(StatusCodes.Status404NotFound, NotFound);
        }
        LogEnded(logger, portal.Session.Username, handle);
        audit.SessionRevoked(portal.Session.Username, context.ClientIp(proxies).ToString(), "user", ended);
        return Api.Ok();
    }

    private static async Task<Ok<Api.OkBody<EndedData>>> EndOthersAsync(HttpContext context, PortalSession portal, SessionProvider sessions,
        TrustedProxies proxies, Audit.AuditTrail audit, ILogger<UserSessionsRequest> logger)
    {
        var ended = await sessions.RevokeAsync(portal.Session.Username, handles: null, keepId: portal.Active.Id, context.RequestAborted);
        LogEndedOthers(logger, portal.Session.Username, ended);
        audit.SessionRevoked(portal.Session.Username, context.ClientIp(proxies).ToString(), "user", ended);
        return Api.Ok(new EndedData(ended));
    }

    private static UserSessionView View(StoredSession stored, PortalSession portal)
    {
        var s = stored.Session;
        return new UserSessionView(stored.Handle, stored.Id == portal.Active.Id, s.FirstFactorAuthnTimestamp ?? s.CreatedAt, s.LastActivity,
            s.AuthenticationMethods.ToAmrValues(), s.SignInIp, s.SignInUserAgent, s.CookieDomain, s.KeepMeLoggedIn);
    }

    /// <summary>The log category of these endpoints.</summary>
    internal sealed class UserSessionsRequest;

    internal sealed record EndedData([property: System.Text.Json.Serialization.JsonPropertyName("ended")] int Ended);

    [LoggerMessage(EventId = 1900, Level = LogLevel.Information, Message = "User {Username} ended their session {Handle}")]
    private static partial void LogEnded(ILogger logger, string username, string handle);

    [LoggerMessage(EventId = 1901, Level = LogLevel.Information, Message = "User {Username} signed out everywhere else: {Count} session(s) ended")]
    private static partial void LogEndedOthers(ILogger logger, string username, int count);
}
