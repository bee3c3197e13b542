using Portal.AccessControl;

namespace Portal.ForwardAuth;

/// <summary>Traefik and Caddy (and the gateway): the target in <c>X-Forwarded-Method/Proto/Host/Uri</c>; <c>/api/authz/forward-auth</c>.</summary>
internal sealed class ForwardAuthProfile : AuthzProfile
{
    private static readonly IReadOnlyList<AuthnStrategy> Defaults =
        [new(AuthnStrategyKind.HeaderAuthorization), new(AuthnStrategyKind.CookieSession)];

    public override AuthzImplementation Implementation => AuthzImplementation.ForwardAuth;

    public override IReadOnlyList<AuthnStrategy> DefaultStrategies => Defaults;

    protected override bool TryParseTarget(HttpRequest request, out AccessTarget target, out string error)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ProxyHeaders.TryForwardedParts(request.Headers, requireMethod: true, fallbackHost: null, fallbackUri: null, fallbackMethod: null, out target, out error);
    }
}
