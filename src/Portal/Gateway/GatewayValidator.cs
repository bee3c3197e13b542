using System.Globalization;
using System.Net;
using Portal.Configuration;
using Portal.Infrastructure;

namespace Portal.Gateway;

/// <summary>
/// Checks the <c>gateway</c> section. A route the gateway cannot match unambiguously, or an upstream it cannot
/// reach, is an error at startup rather than a surprise (or a 500) on the first request.
/// </summary>
internal static class GatewayValidator
{
    private const string Section = "gateway";

    /// <summary>Validation for <c>portal serve</c>: the gateway is optional and off until it has routes.</summary>
    public static void Validate(PortalOptions options, ConfigDiagnostics diag)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(diag);
        if (options.Gateway.Routes.Count > 0)
        {
            ValidateSection(options, diag);
        }
    }

    /// <summary>
    /// The extra checks for <c>portal gateway</c>, which has nothing to do without routes and a portal to ask; the
    /// section itself was already checked by <see cref="Validate"/> when it has routes.
    /// </summary>
    public static void ValidateStandalone(PortalOptions options, ConfigDiagnostics diag)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(diag);
        if (options.Gateway.Routes.Count == 0)
        {
            diag.Error(Section, "routes", "is required: 'portal gateway' needs at least one route");
        }
        if (options.Gateway.PortalUrl.Length == 0)
        {
            diag.Error(Section, "portal_url", "is required: 'portal gateway' asks the portal at this URL, such as 'http://127.0.0.1:9091/'");
        }
    }

    private static void ValidateSection(PortalOptions options, ConfigDiagnostics diag)
    {
        var gateway = options.Gateway;
        var addressOk = ListenAddress.TryParse(gateway.Address, out var address, out var error);
        if (!addressOk)
        {
            diag.Error(Section, "address", error);
        }
        else if (address.BasePath != "/")
        {
            diag.Error(Section, "address", "must not have a path: the gateway serves whole hosts (use routes[].path)");
        }
        if (gateway.PortalUrl.Length > 0 && !IsHttpUrl(gateway.PortalUrl))
        {
            diag.Error(Section, "portal_url", "must be an absolute http(s) URL of the portal, such as 'http://127.0.0.1:9091/'");
        }
        else if (gateway.PortalUrl.Length > 0 && new Uri(gateway.PortalUrl).AbsolutePath.Contains("/api/", StringComparison.OrdinalIgnoreCase))
        {
            diag.Error(Section, "portal_url", $"must be the portal's own URL, not one of its endpoints: the gateway appends '/api/authz/forward-auth' (it's configured as '{gateway.PortalUrl}')");
        }

        var tls = gateway.Tls;
        if ((tls.Certificate.Length > 0) != (tls.Key.Length > 0))
        {
            diag.Error($"{Section}.tls", tls.Certificate.Length > 0 ? "key" : "certificate", "is required when the other of 'certificate' and 'key' is set");
        }
        foreach (var (key, file) in new[] { ("certificate", tls.Certificate), ("key", tls.Key) })
        {
            if (file.Length > 0 && !File.Exists(file))
            {
                diag.Error($"{Section}.tls", key, $"names '{file}', which does not exist");
            }
        }
        for (var i = 0; i < gateway.TrustedProxies.Count; i++)
        {
            if (!AccessControl.AclNetwork.TryParse(gateway.TrustedProxies[i], out _))
            {
                diag.Error(Invariant($"{Section}.trusted_proxies[{i}]"), $"'{gateway.TrustedProxies[i]}' must be an IP address or a CIDR range such as '10.0.0.0/8'");
            }
        }
        if (tls.Certificate.Length == 0 && addressOk && !GatewayListener.IsLoopback(address) && gateway.TrustedProxies.Count == 0)
        {
            diag.Warning(Section, "address", "listens beyond loopback without 'tls': every request will be refused, because the portal only decides https targets (set gateway.tls, or put a TLS proxy listed in gateway.trusted_proxies in front)");
        }

        var seen = new Dictionary<(string Host, string Path), int>();
        for (var i = 0; i < gateway.Routes.Count; i++)
        {
            ValidateRoute(options, gateway.Routes[i], i, seen, diag);
        }
    }

    private static void ValidateRoute(PortalOptions options, GatewayRouteOptions route, int index, Dictionary<(string Host, string Path), int> seen, ConfigDiagnostics diag)
    {
        var routePath = Invariant($"{Section}.routes[{index}]");
        if (route.Hosts.Count == 0)
        {
            diag.Error(routePath, "hosts", "is required (the host names this route serves)");
        }
        var pathOk = TryNormalizePath(route.Path, out var path, out var pathError);
        if (!pathOk)
        {
            diag.Error(routePath, "path", pathError);
        }
        for (var h = 0; h < route.Hosts.Count; h++)
        {
            var hostPath = Invariant($"{routePath}.hosts[{h}]");
            if (!TryNormalizeHost(route.Hosts[h], out var host))
            {
                diag.Error(hostPath, $"'{route.Hosts[h]}' must be a host name such as 'app.example.com' or '*.example.com' (no scheme, port or path)");
                continue;
            }
            if (pathOk)
            {
                if (seen.TryGetValue((host, path), out var earlier))
                {
                    diag.Error(hostPath, Invariant($"'{route.Hosts[h]}' with path '{path}' is already served by gateway.routes[{earlier}]"));
                }
                else
                {
                    seen[(host, path)] = index;
                }
            }
            var bare = host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : host;
            if (options.Session.Cookies.Count > 0 && !options.Session.Cookies.Any(c => Session.SessionCookieSettings.From(options.Session, c).Covers(bare)))
            {
                diag.Warning(hostPath, $"'{route.Hosts[h]}' is not under any session.cookies domain: every request to it will be refused");
            }
        }
        if (route.Upstreams.Count == 0)
        {
            diag.Error(routePath, "upstreams", "is required (at least one 'http://host:port' address)");
        }
        for (var u = 0; u < route.Upstreams.Count; u++)
        {
            if (!IsHttpUrl(route.Upstreams[u]))
            {
                diag.Error(Invariant($"{routePath}.upstreams[{u}]"), $"'{route.Upstreams[u]}' must be an absolute http(s) URL");
            }
        }
        if (route.Timeout is { } timeout && timeout <= TimeSpan.Zero)
        {
            diag.Error(routePath, "timeout", "must be greater than zero");
        }
    }

    /// <summary>An absolute http(s) URL with a host and nothing that would be silently dropped (user info, query, fragment).</summary>
    private static bool IsHttpUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0
        && uri.UserInfo.Length == 0 && uri.Query.Length == 0 && uri.Fragment.Length == 0;

    /// <summary>Lower-case host, or <c>*.</c> plus a host; no port, scheme or trailing dot.</summary>
    internal static bool TryNormalizeHost(string text, out string host)
    {
        host = text.Trim().ToLowerInvariant();
        var bare = host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : host;
        if (bare.Length == 0 || bare.EndsWith('.') || bare.Contains('*', StringComparison.Ordinal))
        {
            return false;
        }
        if (IPAddress.TryParse(bare, out var ip))
        {
            // An IPv4 literal is fine; IPv6 literals would need brackets in Host and are not worth the ambiguity.
            return ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && bare == host;
        }
        return Uri.CheckHostName(bare) == UriHostNameType.Dns;
    }

    /// <summary>
    /// A path prefix made of plain segments (<c>/</c>, <c>/api</c>, <c>/api/v1</c>), without a trailing slash. Route
    /// template characters and dot segments are refused: the prefix must mean exactly what it says.
    /// </summary>
    internal static bool TryNormalizePath(string text, out string path, out string error)
    {
        path = "/";
        error = "";
        if (!text.StartsWith('/'))
        {
            error = "must start with '/'";
            return false;
        }
        var segments = text.Split('/', StringSplitOptions.None)[1..];
        if (segments.Length > 0 && segments[^1].Length == 0)
        {
            segments = segments[..^1];
        }
        foreach (var segment in segments)
        {
            if (segment.Length == 0 || segment is "." or "..")
            {
                error = $"'{text}' must not contain empty, '.' or '..' segments";
                return false;
            }
            if (!segment.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~'))
            {
                error = $"'{text}' may only contain letters, digits and '-', '.', '_', '~' between slashes";
                return false;
            }
        }
        path = "/" + string.Join('/', segments);
        return true;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
