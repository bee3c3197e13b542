using System.Text.Encodings.Web;
using Portal.ForwardAuth;
using Portal.Infrastructure;

namespace Portal.Gateway;

/// <summary>
/// The gateway's own answers: a readable page for browsers, a short text for everything else. Self-contained (no
/// scripts, no external files) under a CSP that allows nothing but the inline style.
/// </summary>
internal static class GatewayPages
{
    internal const string PagePolicy = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>
    /// The portal's defensive headers, <paramref name="contentSecurityPolicy"/>, and HSTS over https, on an answer the
    /// gateway writes itself. Never called for a forwarded response: those headers are the app's.
    /// </summary>
    public static void ApplySecurityHeaders(HttpContext context, string contentSecurityPolicy)
    {
        ArgumentNullException.ThrowIfNull(context);
        var headers = context.Response.Headers;
        SecurityHeaders.ApplyDefensive(headers);
        headers.ContentSecurityPolicy = contentSecurityPolicy;
        if (context.RequestServices.GetService<GatewayHsts>()?.Value is { } hsts
            && context.RequestServices.GetService<GatewayTrustedProxies>()?.SchemeOf(context) == "https")
        {
            headers.StrictTransportSecurity = hsts;
        }
    }

    public static Task WriteAsync(HttpContext context, int status, string title, string message, IEnumerable<KeyValuePair<string, string>>? extraHeaders = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.Response;
        response.Clear();
        response.StatusCode = status;
        foreach (var (name, value) in extraHeaders ?? [])
        {
            response.Headers.Append(name, value);
        }
        ApplySecurityHeaders(context, PagePolicy);
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return Task.CompletedTask;
        }
        if (AuthzReply.AcceptsHtml(context.Request.Headers.Accept.ToString()))
        {
            response.ContentType = "text/html; charset=utf-8";
            var html = HtmlEncoder.Default;
            return response.WriteAsync($$$"""
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
                <title>{{{status}}} {{{html.Encode(title)}}}</title>
                <style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;line-height:1.5}h1{font-size:1.5rem}@media (prefers-color-scheme:dark){body{background:#111;color:#eee}}</style>
                </head><body><main><h1>{{{html.Encode(title)}}}</h1><p>{{{html.Encode(message)}}}</p></main></body></html>
                """);
        }
        response.ContentType = "text/plain; charset=utf-8";
        return response.WriteAsync($"{status} {title}\n");
    }

    public static Task ForbiddenAsync(HttpContext context, IEnumerable<KeyValuePair<string, string>> headers) =>
        WriteAsync(context, 403, "Forbidden", "You are not allowed to open this page.", headers);

    public static Task NotFoundAsync(HttpContext context) =>
        WriteAsync(context, 404, "Not Found", "This gateway serves no site at this address.");

    public static Task BadRequestAsync(HttpContext context, string message) =>
        WriteAsync(context, 400, "Bad Request", message);

    public static Task PortalUnreachableAsync(HttpContext context) =>
        WriteAsync(context, 502, "Bad Gateway", "The sign-in service cannot be reached right now, so nothing behind this gateway can be opened. Try again in a moment.");

    /// <param name="status">what YARP chose: 502, or 504 when the upstream timed out</param>
    public static Task UpstreamFailedAsync(HttpContext context, int status) =>
        WriteAsync(context, status, AuthzReply.ReasonPhrase(status), "The site behind this gateway did not answer. Try again in a moment.");

    public static Task UnavailableAsync(HttpContext context) =>
        WriteAsync(context, 503, "Service Unavailable", "The gateway could not check your access, so it did not open this page. Try again in a moment.");
}
