using System.ComponentModel;
using Portal.Configuration;
namespace Portal.ForwardAuth;

internal sealed class AuthnStrategyOptions
{
    [Description("The strategy: HeaderAuthorization, HeaderProxyAuthorization, HeaderAuthRequestProxyAuthorization, HeaderLegacy or CookieSession.")]
    [ConfigValues("HeaderAuthorization", "HeaderProxyAuthorization", "HeaderAuthRequestProxyAuthorization", "HeaderLegacy", "CookieSession")]
    public string Name { get; init; } = "";
    /// <summary>For header strategies: <c>basic</c> (Authelia's default; <c>bearer</c> is not supported).</summary>
    [Description("Authorization schemes accepted by a header strategy; only 'basic'.")]
    [ConfigValues("basic")]
    public IReadOnlyList<string> Schemes { get; init; } = [];
    /// <summary>How long a verified basic credential is remembered (HMAC-keyed); 0, Authelia's default, is off.</summary>
    [Description("How long a verified basic credential is remembered (HMAC-keyed, never past a ban or a users-file change); 0 checks the password on every request.")]
    public TimeSpan SchemeBasicCacheLifespan { get; init; }
}
