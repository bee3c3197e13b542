using System.ComponentModel;
using Portal.ForwardAuth;

namespace Portal.Infrastructure;

internal sealed class ServerOptions
{
    /// <summary>Listen address in Authelia's form: <c>tcp://host:port/path</c>.</summary>
    [Description("Where the portal listens: tcp://[ip]:port/[path] or unix:///path/to/socket; an empty IP means every interface.")]
    public string Address { get; init; } = "tcp://:9091/";

    /// <summary>
    /// Peers whose <c>X-Forwarded-*</c> headers are believed. Requests from any other peer have those headers
    /// ignored, and forward-auth calls from them are refused.
    /// </summary>
    [Description("IPs or CIDRs of peers whose forwarded headers (X-Forwarded-*, X-Original-*) are believed; forward-auth calls from other peers are refused with 403.")]
    public IReadOnlyList<string> TrustedProxies { get; init; } =
        ["127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"];

    [Description("Serve HTTPS directly from PEM files; off by default (a reverse proxy terminates TLS).")]
    public ServerTlsOptions Tls { get; init; } = new();
    [Description("Only affects the container health check.")]
    public bool DisableHealthcheck { get; init; }
    [Description("Connection timeouts of the portal's listener.")]
    public ServerTimeoutsOptions Timeouts { get; init; } = new();
    [Description("The portal's endpoints.")]
    public ServerEndpointsOptions Endpoints { get; init; } = new();

    /// <summary>Strict-Transport-Security on the answers Portal writes itself (portal and gateway) over https.</summary>
    [Description("Strict-Transport-Security on answers the portal writes itself, over https only.")]
    public HstsOptions Hsts { get; init; } = new();
}
