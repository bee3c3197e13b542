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

    /// <summary>How this endpoint's proxy shape reads calls and answers them.</summary>
    public AuthzProfile Profile => AuthzProfile.For(Implementation);

    /// <summary>Authelia's three, each with its shape's default strategies.</summary>
    public static IReadOnlyList<AuthzEndpoint> Defaults { get; } =
    [
        new("forward-auth", "/api/authz/forward-auth", AuthzImplementation.ForwardAuth, AuthzProfile.ForwardAuth.DefaultStrategies),
        new("auth-request", "/api/authz/auth-request", AuthzImplementation.AuthRequest, AuthzProfile.AuthRequest.DefaultStrategies),
        new(LegacyName, "/api/verify", AuthzImplementation.Legacy, AuthzProfile.Legacy.DefaultStrategies),
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
                ? AuthzProfile.For(implementation).DefaultStrategies
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
