using Portal.ForwardAuth;

namespace Portal.Infrastructure;

internal sealed class ServerOptions
{
    /// <summary>Listen address in Authelia's form: <c>tcp://host:port/path</c>.</summary>
    public string Address { get; init; } = "tcp://:9091/";

    /// <summary>
    /// Peers whose <c>X-Forwarded-*</c> headers are believed. Requests from any other peer have those headers
    /// ignored, and forward-auth calls from them are refused.
    /// </summary>
    public IReadOnlyList<string> TrustedProxies { get; init; } =
        ["127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"];

    public ServerTlsOptions Tls { get; init; } = new();
    public bool DisableHealthcheck { get; init; }
    public ServerTimeoutsOptions Timeouts { get; init; } = new();
    public ServerEndpointsOptions Endpoints { get; init; } = new();

    /// <summary>Strict-Transport-Security on the answers Portal writes itself (portal and gateway) over https.</summary>
    public HstsOptions Hsts { get; init; } = new();
}
