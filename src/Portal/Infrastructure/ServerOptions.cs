using Portal.ForwardAuth;

namespace Portal.Infrastructure;

internal sealed class ServerOptions
{
    /// <summary>Listen address in Authelia's form: <c>tcp://host:port/path</c>.</summary>
    public string Address { get; set; } = "tcp://:9091/";

    /// <summary>
    /// Peers whose <c>X-Forwarded-*</c> headers are believed. Requests from any other peer have those headers
    /// ignored, and forward-auth calls from them are refused.
    /// </summary>
    public List<string> TrustedProxies { get; set; } =
        ["127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"];

    public ServerTlsOptions Tls { get; set; } = new();
    public bool DisableHealthcheck { get; set; }
    public ServerTimeoutsOptions Timeouts { get; set; } = new();
    public ServerEndpointsOptions Endpoints { get; set; } = new();

    /// <summary>Strict-Transport-Security on the answers Portal writes itself (portal and gateway) over https.</summary>
    public HstsOptions Hsts { get; set; } = new();
}
