using System.ComponentModel;
using Portal.Configuration;
using Portal.Infrastructure;

namespace Portal.Gateway;

/// <summary>Portal's own reverse proxy. Unused (no listener) until <c>routes</c> is non-empty.</summary>
internal sealed record GatewayOptions
{
    [Description("Where the gateway listens (as server.address, without a path).")]
    public string Address { get; init; } = "tcp://:9080/";
    /// <summary>Base URL of a remote portal, for <c>portal gateway</c> running on its own.</summary>
    [Description("For 'portal gateway' only (required there): the portal's base URL, whose forward-auth endpoint the gateway calls.")]
    public string PortalUrl { get; init; } = "";
    [Description("Hosts and path prefixes the gateway serves, each with its upstreams.")]
    public IReadOnlyList<GatewayRouteOptions> Routes { get; init; } = [];
    /// <summary>PEM certificate and key for the gateway's listener; without them it serves plain http.</summary>
    [Description("PEM certificate and key of the gateway's listener; without them only the localhost demo works over http.")]
    public ServerTlsOptions Tls { get; init; } = new();
    /// <summary>
    /// Peers in front of the gateway (a TLS terminator) whose <c>X-Forwarded-For</c>/<c>-Proto</c> are believed.
    /// Empty by default, unlike <c>server.trusted_proxies</c>: the gateway is the edge, and its clients are the LAN.
    /// </summary>
    [Description("Proxies in front of the gateway whose X-Forwarded-For and X-Forwarded-Proto are believed.")]
    public IReadOnlyList<string> TrustedProxies { get; init; } = [];
}
