namespace Portal.ForwardAuth;

/// <summary>Authelia's authn strategy names (<c>server.endpoints.authz.*.authn_strategies[].name</c>).</summary>
internal enum AuthnStrategyKind
{
    /// <summary><c>Authorization</c>; failure: 401 with <c>WWW-Authenticate</c>.</summary>
    HeaderAuthorization,

    /// <summary><c>Proxy-Authorization</c>; failure: 407 with <c>Proxy-Authenticate</c>.</summary>
    HeaderProxyAuthorization,

    /// <summary><c>Proxy-Authorization</c>; failure: 401 with <c>WWW-Authenticate</c> (nginx passes only 401 on).</summary>
    HeaderAuthRequestProxyAuthorization,

    /// <summary><c>Proxy-Authorization</c>, or <c>Authorization</c> (then mandatory) with <c>?auth=basic</c>; failure: 401 with <c>WWW-Authenticate</c>.</summary>
    HeaderLegacy,

    /// <summary>The session cookie; no failure of its own (no valid session is anonymous: the login redirect).</summary>
    CookieSession,
}
