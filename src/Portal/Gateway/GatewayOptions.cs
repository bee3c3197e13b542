using Portal.Configuration;
using Portal.Infrastructure;

namespace Portal.Gateway;

/// <summary>Portal's own reverse proxy. Unused (no listener) until <c>routes</c> is non-empty.</summary>
internal sealed record GatewayOptions
{
    public string Address { get; init; } = "tcp://:9080/";
    /// <summary>Base URL of a remote portal, for <c>portal gateway</c> running on its own.</summary>
    public string PortalUrl { get; init; } = "";
    public IReadOnlyList<GatewayRouteOptions> Routes { get; init; } = [];
    /// <summary>PEM certificate and key for the gateway's listener; without them it serves plain http.</summary>
    public ServerTlsOptions Tls { get; init; } = new();
    /// <summary>
    /// Peers in front of the gateway (a TLS terminator) whose <c>X-Forwarded-For</c>/<c>-Proto</c> are believed.
    /// Empty by default, unlike <c>server.trusted_proxies</c>: the gateway is the edge, and its clients are the LAN.
    /// </summary>
    public IReadOnlyList<string> TrustedProxies { get; init; } = [];
}
