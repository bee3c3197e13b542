using System.Globalization;
using Portal.Configuration;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace Portal.Gateway;

/// <summary>Turns validated <c>gateway.routes</c> into YARP routes and clusters (one cluster per route, so timeouts stay per route).</summary>
internal sealed class GatewayRoutes
{
    private GatewayRoutes(IReadOnlyList<RouteConfig> routes, IReadOnlyList<ClusterConfig> clusters)
    {
        Routes = routes;
        Clusters = clusters;
    }

    public IReadOnlyList<RouteConfig> Routes { get; }
    public IReadOnlyList<ClusterConfig> Clusters { get; }

    public static GatewayRoutes From(GatewayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var routes = new List<RouteConfig>();
        var clusters = new List<ClusterConfig>();
        for (var i = 0; i < options.Routes.Count; i++)
        {
            var route = options.Routes[i];
            var id = string.Create(CultureInfo.InvariantCulture, $"route{i}");
            if (!GatewayValidator.TryNormalizePath(route.Path, out var path, out var error))
            {
                throw new InvalidOperationException($"gateway.routes[{i}].path: {error}");
            }
            var hosts = route.Hosts.Select(h => GatewayValidator.TryNormalizeHost(h, out var n) ? n : throw new InvalidOperationException($"gateway.routes[{i}]: bad host '{h}'")).ToList();
            routes.Add(new RouteConfig
            {
                RouteId = id,
                ClusterId = id,
                // A path prefix by whole segments: "/api" serves /api and /api/x, never /apix.
                Match = new RouteMatch { Hosts = hosts, Path = path == "/" ? "/{**rest}" : path + "/{**rest}" },
                Metadata = new GatewayRoute(id, route.Websockets, route.PassSessionCookie).ToMetadata(),
            });
            clusters.Add(new ClusterConfig
            {
                ClusterId = id,
                Destinations = route.Upstreams.Select((u, j) => (u, j)).ToDictionary(
                    d => string.Create(CultureInfo.InvariantCulture, $"upstream{d.j}"), d => new DestinationConfig { Address = d.u }, StringComparer.Ordinal),
                HttpRequest = new ForwarderRequestConfig { ActivityTimeout = route.Timeout },
                // Remote-Name is UTF-8 (José); the default Latin-1 would refuse or garble it.
                HttpClient = new HttpClientConfig { RequestHeaderEncoding = "utf-8" },
            });
        }
        return new GatewayRoutes(routes, clusters);
    }
}
