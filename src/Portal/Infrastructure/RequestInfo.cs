using System.Net;

namespace Portal.Infrastructure;

/// <summary>
/// Facts about the current request that depend on who sent it. Forwarded headers are read only when the TCP peer
/// is a trusted proxy; otherwise the connection itself is the truth.
/// </summary>
internal static class RequestInfo
{
    private const string ClientIpKey = "portal.client-ip";

    public static bool FromTrustedProxy(this HttpContext context, TrustedProxies proxies) =>
        proxies.IsTrusted(context.Connection.RemoteIpAddress);

    /// <summary>The client's address (see <see cref="TrustedProxies.ResolveClient"/>); cached per request.</summary>
    public static IPAddress ClientIp(this HttpContext context, TrustedProxies proxies)
    {
        if (context.Items.TryGetValue(ClientIpKey, out var cached) && cached is IPAddress ip)
        {
            return ip;
        }
        var resolved = proxies.ResolveClient(context.Connection.RemoteIpAddress, context.Request.Headers["X-Forwarded-For"].OfType<string>())
            ?? IPAddress.None;
        context.Items[ClientIpKey] = resolved;
        return resolved;
    }

    /// <summary>The host the browser used to reach the portal, lower-case and without port.</summary>
    public static string PortalHost(this HttpContext context, TrustedProxies proxies)
    {
        var forwarded = context.FromTrustedProxy(proxies) ? context.Request.Headers["X-Forwarded-Host"].ToString() : "";
        var host = forwarded.Length > 0 && !forwarded.Contains(',', StringComparison.Ordinal) ? new HostString(forwarded).Host : context.Request.Host.Host;
        return host.TrimEnd('.').ToLowerInvariant();
    }

    /// <summary>
    /// <c>scheme://host[:port]</c> as the browser serialises the portal's origin (lower-case, default port left out):
    /// the one origin WebAuthn accepts in clientDataJSON.
    /// </summary>
    public static string PortalOrigin(this HttpContext context, TrustedProxies proxies)
    {
        var forwarded = context.FromTrustedProxy(proxies) ? context.Request.Headers["X-Forwarded-Host"].ToString() : "";
        var authority = forwarded.Length > 0 && !forwarded.Contains(',', StringComparison.Ordinal) ? new HostString(forwarded) : context.Request.Host;
        var scheme = context.PortalScheme(proxies);
        var host = authority.Host.TrimEnd('.').ToLowerInvariant();
        var port = authority.Port;
        return port is null || (scheme == "https" && port == 443) || (scheme == "http" && port == 80)
            ? $"{scheme}://{host}"
            : $"{scheme}://{host}:{port.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
    }

    /// <summary>The scheme the browser used to reach the portal.</summary>
    public static string PortalScheme(this HttpContext context, TrustedProxies proxies)
    {
        var forwarded = context.FromTrustedProxy(proxies) ? context.Request.Headers["X-Forwarded-Proto"].ToString() : "";
        return forwarded is "https" or "http" ? forwarded : context.Request.Scheme;
    }
}
