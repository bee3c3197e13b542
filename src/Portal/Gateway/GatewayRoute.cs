using System.Globalization;
using Yarp.ReverseProxy.Configuration;

namespace Portal.Gateway;

/// <summary>
/// What the gateway needs to know about a route beyond YARP's matching. It travels in the route's own metadata, so
/// a request reads it from the very route YARP matched: after a reload swaps the routes there is no second table
/// that could still be the old one (or already the new one).
/// </summary>
internal sealed record GatewayRoute(string Id, bool Websockets, bool PassSessionCookie)
{
    private const string WebsocketsKey = "portal.websockets";
    private const string PassSessionCookieKey = "portal.pass_session_cookie";

    public Dictionary<string, string> ToMetadata() => new(StringComparer.Ordinal)
    {
        [WebsocketsKey] = Websockets.ToString(CultureInfo.InvariantCulture),
        [PassSessionCookieKey] = PassSessionCookie.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Null for a route the gateway did not make (it is then never forwarded).</summary>
    public static GatewayRoute? From(RouteConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.Metadata is { } metadata
            && metadata.TryGetValue(WebsocketsKey, out var websockets) && bool.TryParse(websockets, out var ws)
            && metadata.TryGetValue(PassSessionCookieKey, out var pass) && bool.TryParse(pass, out var passCookie)
                ? new GatewayRoute(config.RouteId, ws, passCookie)
                : null;
    }
}
