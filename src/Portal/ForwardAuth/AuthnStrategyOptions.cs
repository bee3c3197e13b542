namespace Portal.ForwardAuth;

internal sealed class AuthnStrategyOptions
{
    public string Name { get; set; } = "";
    /// <summary>For header strategies: <c>basic</c> (Authelia's default; <c>bearer</c> is not supported).</summary>
    public List<string> Schemes { get; set; } = [];
    /// <summary>How long a verified basic credential is remembered (HMAC-keyed); 0, Authelia's default, is off.</summary>
    public TimeSpan SchemeBasicCacheLifespan { get; set; }
}
