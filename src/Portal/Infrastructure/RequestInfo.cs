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

    /// <summary>The scheme the browser used to reach the portal.</summary>
    public static string PortalScheme(this HttpContext context, TrustedProxies proxies)
    {
        var forwarded = context.FromTrustedProxy(proxies) ? context.Request.Headers["X-Forwarded-Proto"].ToString() : "";
        return forwarded is "https" or "http" ? forwarded : context.Request.Scheme;
    }
}
