namespace Portal.ForwardAuth;

internal sealed class AuthzEndpointOptions
{
    /// <summary><c>ForwardAuth</c>, <c>AuthRequest</c> or <c>Legacy</c> (<c>ExtAuthz</c> is not supported).</summary>
    public string Implementation { get; init; } = "";
    /// <summary>Tried in order; empty means the implementation's defaults.</summary>
    public IReadOnlyList<AuthnStrategyOptions> AuthnStrategies { get; init; } = [];
}
