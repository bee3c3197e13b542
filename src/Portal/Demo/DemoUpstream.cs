using System.Net;
using System.Text;
using System.Text.Encodings.Web;

namespace Portal.Demo;

/// <summary>
/// The demo's protected application: a few pages that say which access-control policy guards them and show the
/// identity headers the gateway forwarded, so a newcomer sees what the portal decided. It listens on a random
/// loopback port that only the gateway is told about.
/// </summary>
internal static class DemoUpstream
{
    /// <summary>The pages and the policy <c>portal demo</c>'s access_control gives each of them.</summary>
    internal static readonly (string Path, string Title, string Policy, string Explanation)[] Pages =
    [
        ("/", "Current state", "bypass", "anyone may open it; it shows who the portal says you are, if anyone."),
        ("/public", "Public page", "bypass", "anyone may open it, signed in or not."),
        ("/one-factor", "One-factor page", "one_factor", "you must have signed in with your password."),
        ("/two-factor", "Two-factor page", "two_factor", "you must have signed in with your password and a security key or passkey."),
    ];

    private static readonly string[] IdentityHeaders = ["Remote-User", "Remote-Groups", "Remote-Name", "Remote-Email"];

    private const string PagePolicy = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static WebApplication Build(string portalUrl)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        // The portal's log is the one the newcomer reads; the demo app has nothing to add to it.
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, 0);
        });
        var app = builder.Build();
        foreach (var page in Pages)
        {
            app.MapGet(page.Path, (HttpContext context) => WriteAsync(context, page, portalUrl));
        }
        app.MapFallback((HttpContext context) =>
        {
            context.Response.StatusCode = 404;
            return context.Response.WriteAsync("Not found\n");
        });
        return app;
    }

    private static Task WriteAsync(HttpContext context, (string Path, string Title, string Policy, string Explanation) page, string portalUrl)
    {
        var html = HtmlEncoder.Default;
        var request = context.Request.Headers;
        var body = new StringBuilder();
        body.Append("<h1>").Append(html.Encode(page.Title)).Append("</h1>")
            .Append("<p>Access-control policy: <code>").Append(page.Policy).Append("</code> — ").Append(html.Encode(page.Explanation)).Append("</p>");
        if (request.TryGetValue("Remote-User", out var user) && user.ToString().Length > 0)
        {
            body.Append("<p class=\"ok\">Signed in as <strong id=\"remote-user\">").Append(html.Encode(user.ToString())).Append("</strong>.</p>");
        }
        else
        {
            body.Append("<p class=\"anon\">Not signed in: the gateway forwarded no <code>Remote-User</code>.</p>");
        }
        body.Append("<h2>Headers this app received from the gateway</h2><table>");
        foreach (var name in IdentityHeaders)
        {
            body.Append("<tr><th>").Append(name).Append("</th><td>")
                .Append(request.TryGetValue(name, out var value) ? html.Encode(value.ToString()) : "<em>(none)</em>").Append("</td></tr>");
        }
        body.Append("</table><h2>Try</h2><ul>");
        foreach (var other in Pages)
        {
            body.Append("<li><a href=\"").Append(other.Path).Append("\">").Append(html.Encode(other.Title)).Append("</a> (<code>").Append(other.Policy).Append("</code>)</li>");
        }
        body.Append("</ul><h2>The portal</h2><ul>")
            .Append("<li><a href=\"").Append(html.Encode(portalUrl)).Append("\">Sign in or sign out</a></li>")
            .Append("<li><a href=\"").Append(html.Encode(portalUrl)).Append("settings\">Settings: security keys and passkeys</a></li></ul>");

        var response = context.Response;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        response.Headers.ContentSecurityPolicy = PagePolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        return response.WriteAsync($$$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="color-scheme" content="light dark"><title>{{{html.Encode(page.Title)}}} · Portal demo</title>
            <style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5}th{text-align:left;padding-right:1rem}.ok{color:#176d2c}.anon{color:#8a5a00}@media (prefers-color-scheme:dark){body{background:#111;color:#eee}.ok{color:#7bd88f}.anon{color:#f0c060}a{color:#8ab4f8}}</style>
            </head><body><main>{{{body}}}</main></body></html>
            """);
    }
}
