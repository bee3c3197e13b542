using System.ComponentModel;
namespace Portal.Gateway;

internal sealed class GatewayRouteOptions
{
    [Description("Exact names or '*.example.com', no port. Required.")]
    public IReadOnlyList<string> Hosts { get; init; } = [];
    [Description("Path prefix by whole segments ('/api' serves /api and /api/x).")]
    public string Path { get; init; } = "/";
    [Description("Absolute http(s) URLs, load-balanced. Required.")]
    public IReadOnlyList<string> Upstreams { get; init; } = [];
    [Description("How long the upstream may stay silent.")]
    public TimeSpan? Timeout { get; init; }
    [Description("Allow WebSocket upgrades.")]
    public bool Websockets { get; init; } = true;
    [Description("Forward the portal's session cookie upstream.")]
    public bool PassSessionCookie { get; init; }
}
