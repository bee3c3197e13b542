namespace Portal.Infrastructure;

/// <summary>
/// Headers on every portal response, as Authelia sends them on its API: nothing may be framed, sniffed, cached or
/// loaded from elsewhere. Pages get a Content-Security-Policy that allows only their own scripts and styles.
/// </summary>
internal static class SecurityHeaders
{
    public const string ApiPolicy = "default-src 'none'; frame-ancestors 'none'";
    public const string PagePolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(static (context, next) =>
    {
        context.Response.OnStarting(static state =>
        {
            var response = ((HttpContext)state).Response;
            var headers = response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            headers.XFrameOptions = "DENY";
            headers["Permissions-Policy"] = "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=(), interest-cohort=()";
            headers["X-DNS-Prefetch-Control"] = "off";
            headers.CacheControl = "no-store";
            headers.Pragma = "no-cache";
            if (!headers.ContainsKey("Content-Security-Policy"))
            {
                var isHtml = response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true;
                headers.ContentSecurityPolicy = isHtml ? PagePolicy : ApiPolicy;
            }
            return Task.CompletedTask;
        }, context);
        return next(context);
    });
}
