using Microsoft.Extensions.Primitives;

namespace Portal.Infrastructure;

/// <summary>
/// Refuses a state-changing request that a browser sent for another origin: CSRF against logout, WebAuthn and
/// elevation, and login CSRF. SameSite cookies do not cover this: a sibling host under the cookie domain is the same
/// site, and a login needs no cookie at all. Only the headers browsers add are judged (<c>Origin</c>,
/// <c>Sec-Fetch-Site</c>), so scripts and proxies that send neither are unaffected.
/// </summary>
/// <remarks>
/// Applied to every method other than GET, HEAD, OPTIONS and TRACE, on every path, so an endpoint added later is
/// covered without opting in. The authz endpoints are exempt: a proxy calls them with the protected app's method and
/// passes the app's browser headers along, and they change nothing.
/// </remarks>
internal static partial class CrossOriginGuard
{
    public const string Refused = "Cross-origin request refused.";

    public static IApplicationBuilder UseCrossOriginGuard(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var proxies = app.ApplicationServices.GetRequiredService<TrustedProxies>();
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(CrossOriginGuard).FullName!);
        // Not an async lambda: most requests pass straight through, and a state machine per request showed in profiles.
        return app.Use((context, next) =>
        {
            var request = context.Request;
            if (Guarded(request) && Refusal(request.Headers, context.PortalOrigin(proxies)) is { } reason)
            {
                LogRefused(logger, request.Method, request.Path.Value ?? "", reason, context.ClientIp(proxies));
                return Api.Ko(StatusCodes.Status403Forbidden, Refused).ExecuteAsync(context);
            }
            return next(context);
        });
    }

    public static bool Guarded(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var method = request.Method;
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method))
        {
            return false;
        }
        return !request.Path.StartsWithSegments("/api/authz") && !request.Path.StartsWithSegments("/api/verify");
    }

    /// <summary>Why the request is cross-origin, or null when it is same-origin or says nothing either way.</summary>
    /// <param name="portalOrigin">the portal's origin as this request reached it (<see cref="RequestInfo.PortalOrigin"/>)</param>
    public static string? Refusal(IHeaderDictionary headers, string portalOrigin)
    {
        ArgumentNullException.ThrowIfNull(headers);
        // "none" is a navigation the user started (address bar, bookmark): no other site was involved.
        if (headers.TryGetValue("Sec-Fetch-Site", out StringValues site) && site.Count > 0
            && (site.Count > 1 || !(string.Equals(site[0], "same-origin", StringComparison.OrdinalIgnoreCase) || string.Equals(site[0], "none", StringComparison.OrdinalIgnoreCase))))
        {
            return $"Sec-Fetch-Site '{Shorten(site.ToString())}'";
        }
        if (headers.TryGetValue("Origin", out StringValues origin) && origin.Count > 0
            && (origin.Count > 1 || !string.Equals(Serialize(origin[0]), portalOrigin, StringComparison.Ordinal)))
        {
            return $"Origin '{Shorten(origin.ToString())}' is not {portalOrigin}";
        }
        return null;
    }

    /// <summary>
    /// <c>scheme://host[:port]</c> spelt as <see cref="RequestInfo.PortalOrigin"/> spells it; null for <c>null</c>
    /// (sandboxed frames, redirects across origins, file: pages) and anything that is not an http(s) origin.
    /// </summary>
    private static string? Serialize(string? origin)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
            || uri.UserInfo.Length > 0 || uri.PathAndQuery != "/" || uri.Fragment.Length > 0)
        {
            return null;
        }
        var host = uri.Host.TrimEnd('.').ToLowerInvariant();
        return uri.IsDefaultPort
            ? $"{uri.Scheme}://{host}"
            : $"{uri.Scheme}://{host}:{uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
    }

    private static string Shorten(string value) => value.Length > 100 ? value[..100] + "…" : value;

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Cross-origin {Method} {Path} from {Ip} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string method, string path, string reason, System.Net.IPAddress ip);
}
