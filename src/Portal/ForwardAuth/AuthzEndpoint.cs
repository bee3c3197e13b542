using Portal.Configuration;

namespace Portal.ForwardAuth;

/// <summary>
/// One authz endpoint as served: its path, its proxy shape and its authentication strategies. Built from
/// <c>server.endpoints.authz</c>, or Authelia's defaults when that is empty.
/// </summary>
internal sealed record AuthzEndpoint(string Name, string Path, AuthzImplementation Implementation, IReadOnlyList<AuthnStrategy> Strategies)
{
    /// <summary>The name Authelia maps to <c>/api/verify</c> instead of <c>/api/authz/legacy</c>.</summary>
    public const string LegacyName = "legacy";

    /// <summary>Authelia's defaults: forward-auth and auth-request read <c>Authorization</c> then the cookie; legacy <c>HeaderLegacy</c> then the cookie.</summary>
    public static IReadOnlyList<AuthnStrategy> DefaultStrategies(AuthzImplementation implementation) => implementation == AuthzImplementation.Legacy
        ? [new(AuthnStrategyKind.HeaderLegacy), new(AuthnStrategyKind.CookieSession)]
        : [new(AuthnStrategyKind.HeaderAuthorization), new(AuthnStrategyKind.CookieSession)];

    public static IReadOnlyList<AuthzEndpoint> Defaults { get; } =
    [
        new("forward-auth", "/api/authz/forward-auth", AuthzImplementation.ForwardAuth, DefaultStrategies(AuthzImplementation.ForwardAuth)),
        new("auth-request", "/api/authz/auth-request", AuthzImplementation.AuthRequest, DefaultStrategies(AuthzImplementation.AuthRequest)),
        new(LegacyName, "/api/verify", AuthzImplementation.Legacy, DefaultStrategies(AuthzImplementation.Legacy)),
    ];

    /// <summary>The endpoints to serve; options the validator accepted (throws otherwise).</summary>
    public static IReadOnlyList<AuthzEndpoint> From(ServerEndpointsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Authz.Count == 0)
        {
            return Defaults;
        }
        return [.. options.Authz.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e =>
        {
            var implementation = TryParseImplementation(e.Value.Implementation, out var i) ? i : throw new ArgumentException($"unknown implementation '{e.Value.Implementation}'", nameof(options));
            var strategies = e.Value.AuthnStrategies.Count == 0
                ? DefaultStrategies(implementation)
                : [.. e.Value.AuthnStrategies.Select(s => new AuthnStrategy(
                    AuthnStrategy.TryParseKind(s.Name, out var kind) ? kind : throw new ArgumentException($"unknown strategy '{s.Name}'", nameof(options)),
                    s.SchemeBasicCacheLifespan))];
            return new AuthzEndpoint(e.Key, PathOf(e.Key), implementation, strategies);
        })];
    }

    public static string PathOf(string name) => name == LegacyName ? "/api/verify" : "/api/authz/" + name;

    /// <summary>Authelia's spellings; <c>ExtAuthz</c> (Envoy) is recognised by the validator but not served.</summary>
    public static bool TryParseImplementation(string text, out AuthzImplementation implementation)
    {
        switch (text)
        {
            case "ForwardAuth": implementation = AuthzImplementation.ForwardAuth; return true;
            case "AuthRequest": implementation = AuthzImplementation.AuthRequest; return true;
            case "Legacy": implementation = AuthzImplementation.Legacy; return true;
            default: implementation = default; return false;
        }
    }
}
