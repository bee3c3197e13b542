namespace Portal.Gateway;

internal sealed class GatewayRouteOptions
{
    public List<string> Hosts { get; set; } = [];
    public string Path { get; set; } = "/";
    public List<string> Upstreams { get; set; } = [];
    public TimeSpan? Timeout { get; set; }
    public bool Websockets { get; set; } = true;
    public bool PassSessionCookie { get; set; }
}
