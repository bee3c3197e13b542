using System.Net;
using Portal.Configuration;
using Portal.Gateway;

namespace Portal.Infrastructure;

/// <summary>
/// The one exception to "https only" (the localhost demo, <c>portal demo</c>): plain http URLs are accepted when
/// every socket a browser can reach is bound to loopback without TLS (the portal, and the gateway when it has
/// routes), and only for loopback names (<c>localhost</c>, <c>*.localhost</c>, 127.0.0.0/8, <c>::1</c>). A cookie
/// or code on such a URL never crosses a network. Anything else stays https-only.
/// </summary>
internal static class LoopbackHttp
{
    /// <summary>True when the configuration keeps every browser-facing listener on loopback without TLS.</summary>
    public static bool Permitted(PortalOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Server.Tls.Certificate.Length > 0
            || !ListenAddress.TryParse(options.Server.Address, out var server, out _) || !GatewayListener.IsLoopback(server))
        {
            return false;
        }
        return options.Gateway.Routes.Count == 0
            || (options.Gateway.Tls.Certificate.Length == 0
                && ListenAddress.TryParse(options.Gateway.Address, out var gateway, out _) && GatewayListener.IsLoopback(gateway));
    }

    /// <summary>A host (as in a URL, IPv6 with or without brackets) that always means this machine.</summary>
    public static bool IsLoopbackName(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var bare = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        return IPAddress.TryParse(bare, out var ip) ? IPAddress.IsLoopback(ip) : GatewayListener.IsLoopbackHost(bare.ToLowerInvariant());
    }

    /// <summary>An http (or ws) URL on a loopback name, under a configuration that <see cref="Permitted"/> plain http.</summary>
    public static bool Allows(PortalOptions options, Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return uri.Scheme is "http" or "ws" && IsLoopbackName(uri.Host) && Permitted(options);
    }
}
