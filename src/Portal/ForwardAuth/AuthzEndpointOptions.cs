using System.ComponentModel;
using Portal.Configuration;
namespace Portal.ForwardAuth;

internal sealed class AuthzEndpointOptions
{
    /// <summary><c>ForwardAuth</c>, <c>AuthRequest</c> or <c>Legacy</c> (<c>ExtAuthz</c> is not supported).</summary>
    [Description("The proxy shape this endpoint speaks: ForwardAuth (Traefik, Caddy), AuthRequest (nginx) or Legacy (/api/verify).")]
    [ConfigValues("ForwardAuth", "AuthRequest", "Legacy")]
    public string Implementation { get; init; } = "";
    /// <summary>Tried in order; empty means the implementation's defaults.</summary>
    [Description("How a request's user is found, tried in order: a strategy whose header is absent hands over to the next; one whose header is present decides.")]
    public IReadOnlyList<AuthnStrategyOptions> AuthnStrategies { get; init; } = [];
}
