using Portal.Configuration;

namespace Portal.ForwardAuth;

/// <summary>
/// The authz endpoints (<c>server.endpoints.authz</c>), Authelia's three by default. A hot path with its own
/// orchestration: no API group, no session filter, no typed result; <see cref="AuthzHandler.HandleAsync"/> loads the
/// session only when an authenticator needs it, fails closed on an outage itself (503 unless the rule is a bypass) and
/// writes its answer directly.
/// </summary>
internal static class ForwardAuthEndpoints
{
    public static IEndpointRouteBuilder MapForwardAuthEndpoints(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var authz = app.ServiceProvider.GetRequiredService<AuthzHandler>();
        foreach (var endpoint in AuthzEndpoint.From(app.ServiceProvider.GetRequiredService<PortalOptions>().Server.Endpoints))
        {
            // nginx subrequests are always GET, and forward-auth proxies send GET: as Authelia, only the legacy
            // endpoint answers any method (and any sub-path).
            if (endpoint.Profile.AnswersAnyMethod)
            {
                app.Map(endpoint.Path, (HttpContext c) => authz.HandleAsync(c, endpoint));
                app.Map(endpoint.Path + "/{**rest}", (HttpContext c) => authz.HandleAsync(c, endpoint));
            }
            else
            {
                app.MapMethods(endpoint.Path, ["GET", "HEAD"], (HttpContext c) => authz.HandleAsync(c, endpoint));
            }
        }
        return app;
    }
}
