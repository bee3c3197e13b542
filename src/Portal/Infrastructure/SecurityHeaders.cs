using System.Globalization;
using Portal.Configuration;

namespace Portal.Infrastructure;

/// <summary>
/// Headers on every portal response, as Authelia sends them on its API: nothing may be framed, sniffed, cached or
/// loaded from elsewhere. Pages get a Content-Security-Policy that allows only their own scripts and styles.
/// </summary>
internal static class SecurityHeaders
{
    public const string ApiPolicy = "default-src 'none'; frame-ancestors 'none'";
    public const string PagePolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var hsts = StrictTransportSecurity(app.ApplicationServices.GetRequiredService<PortalOptions>().Server.Hsts);
        var proxies = app.ApplicationServices.GetRequiredService<TrustedProxies>();
        return app.Use((context, next) =>
        {
            // Decided now: after the pipeline, UsePathBase has put the base back into Path. An authz answer is
            // relayed to the browser for the app's host (its X-Forwarded-Proto is the app's), so it names no policy.
            var path = context.Request.Path;
            var isAuthz = path.StartsWithSegments("/api/authz") || path.StartsWithSegments("/api/verify");
            var sendHsts = hsts is not null && !isAuthz && context.PortalScheme(proxies) == "https";
            context.Response.OnStarting(() =>
            {
                var response = context.Response;
                if (isAuthz && response.StatusCode == StatusCodes.Status200OK)
                {
                    // "Allowed" goes to the proxy alone: it forwards the app's request and copies only the headers it
                    // was told to (Remote-*), so browser policies would be written and parsed on every request for
                    // nobody. No-store stays: an answer about one user must never be cached for another. Any other
                    // authz answer may reach the browser, and keeps them all.
                    response.Headers.CacheControl = "no-store";
                    return Task.CompletedTask;
                }
                var headers = response.Headers;
                ApplyDefensive(headers);
                if (sendHsts)
                {
                    headers.StrictTransportSecurity = hsts;
                }
                if (!headers.ContainsKey("Content-Security-Policy"))
                {
                    var isHtml = response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true;
                    headers.ContentSecurityPolicy = isHtml ? PagePolicy : ApiPolicy;
                }
                return Task.CompletedTask;
            });
            return next(context);
        });
    }

    /// <summary>What every answer Portal writes itself carries, portal and gateway alike (CSP and HSTS aside).</summary>
    public static void ApplyDefensive(IHeaderDictionary headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
        headers.XFrameOptions = "DENY";
        headers["Permissions-Policy"] = "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=(), interest-cohort=()";
        headers["X-DNS-Prefetch-Control"] = "off";
        headers.CacheControl = "no-store";
        headers.Pragma = "no-cache";
    }

    /// <summary>The <c>Strict-Transport-Security</c> value <c>server.hsts</c> asks for; null when it is off.</summary>
    public static string? StrictTransportSecurity(HstsOptions hsts)
    {
        ArgumentNullException.ThrowIfNull(hsts);
        if (!hsts.Enabled)
        {
            return null;
        }
        var seconds = ((long)hsts.MaxAge.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        return hsts.IncludeSubdomains ? $"max-age={seconds}; includeSubDomains" : $"max-age={seconds}";
    }
}
