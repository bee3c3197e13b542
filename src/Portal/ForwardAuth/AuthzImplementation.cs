namespace Portal.ForwardAuth;

/// <summary>The request shapes of the proxies that call the portal (Authelia's authz implementations).</summary>
internal enum AuthzImplementation
{
    /// <summary>Traefik, Caddy: <c>X-Forwarded-Method/Proto/Host/Uri</c>; <c>/api/authz/forward-auth</c>.</summary>
    ForwardAuth,

    /// <summary>nginx <c>auth_request</c>: <c>X-Original-URL</c>, <c>X-Original-Method</c>; <c>/api/authz/auth-request</c>.</summary>
    AuthRequest,

    /// <summary><c>/api/verify</c>: either shape, <c>rd</c> is the portal URL.</summary>
    Legacy,
}
