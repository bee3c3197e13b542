namespace Portal.ForwardAuth;

internal sealed class AuthnStrategyOptions
{
    public string Name { get; init; } = "";
    /// <summary>For header strategies: <c>basic</c> (Authelia's default; <c>bearer</c> is not supported).</summary>
    public IReadOnlyList<string> Schemes { get; init; } = [];
    /// <summary>How long a verified basic credential is remembered (HMAC-keyed); 0, Authelia's default, is off.</summary>
    public TimeSpan SchemeBasicCacheLifespan { get; init; }
}
