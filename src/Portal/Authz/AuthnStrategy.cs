namespace Portal.Authz;

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

/// <summary>One step of an authz endpoint's authentication: tried in order, the first that names a user wins.</summary>
/// <param name="BasicCacheLifespan">how long a verified basic credential is remembered; zero is never</param>
internal sealed record AuthnStrategy(AuthnStrategyKind Kind, TimeSpan BasicCacheLifespan = default)
{
    public bool IsHeader => Kind != AuthnStrategyKind.CookieSession;

    public static bool TryParseKind(string name, out AuthnStrategyKind kind) =>
        Enum.TryParse(name, ignoreCase: false, out kind) && Enum.IsDefined(kind) && !int.TryParse(name, out _);
}
