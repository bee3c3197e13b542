using Portal.Configuration;
using Portal.Elevation;
using Portal.Session;

namespace Portal.Infrastructure;

/// <summary>
/// Loads the portal session of a request, checks it against the endpoint's <see cref="SessionRequirement"/>, and
/// hands it to the handler's <see cref="PortalSession"/> parameter. A session store outage thrown here or in the
/// handler is answered by <see cref="OutageFilter"/>, which every API group carries.
/// </summary>
internal sealed class RequireSessionFilter(SessionRequirement requirement, PortalSessions sessions, PortalOptions options, ElevationGuard? elevation) : IEndpointFilter
{
    public const string UnknownDomain = "This portal address is not under a configured session cookie domain.";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var manager = sessions.ManagerFor(http);
        if (manager is null)
        {
            return requirement.RefusesUnknownDomain ? Refused() : Api.Ko(StatusCodes.Status400BadRequest, UnknownDomain);
        }
        var active = await manager.LoadFromCookieHeadersAsync(http.Request.Headers.Cookie, http.RequestAborted);
        var session = new PortalSession(manager, active, active.Session.Level(options.WebAuthn.ExperimentalEnablePasskeyUvTwoFactors));
        var met = requirement.Need switch
        {
            SessionNeed.Any => true,
            SessionNeed.Anonymous => active.Session.IsAnonymous,
            SessionNeed.User => !active.Session.IsAnonymous,
            SessionNeed.SignedIn => session.Level >= AuthenticationLevel.OneFactor,
            _ => true,
        };
        if (!met)
        {
            if (requirement.ExpiresRejectedCookie && active.CookieRejected)
            {
                http.Response.Headers.Append("Set-Cookie", manager.BuildExpiredCookie());
            }
            return Refused();
        }
        if (requirement.Need == SessionNeed.Elevated)
        {
            var guard = elevation ?? throw new InvalidOperationException("An elevated-session requirement needs the ElevationGuard.");
            if (await guard.RefuseAsync(http, session) is { } refusal)
            {
                return refusal;
            }
        }
        for (var i = 0; i < context.Arguments.Count; i++)
        {
            if (context.Arguments[i] is PortalSession)
            {
                context.Arguments[i] = session;
            }
        }
        return await next(context);
    }

    private Microsoft.AspNetCore.Http.HttpResults.JsonHttpResult<Api.KoBody> Refused() => requirement.RefusedStatus == StatusCodes.Status401Unauthorized
        ? Api.Ko(StatusCodes.Status401Unauthorized, "Unauthorized")
        : Api.Ko(requirement.RefusedStatus, "Forbidden");
}
