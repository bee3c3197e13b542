namespace Portal.Gateway;

internal sealed class GatewayRouteOptions
{
    public IReadOnlyList<string> Hosts { get; init; } = [];
    public string Path { get; init; } = "/";
    public IReadOnlyList<string> Upstreams { get; init; } = [];
    public TimeSpan? Timeout { get; init; }
    public bool Websockets { get; init; } = true;
    public bool PassSessionCookie { get; init; }
}
