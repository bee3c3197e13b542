using System.Net;
using Microsoft.Playwright;
using Portal.Tests.Support;

namespace Portal.Tests.Browser;

/// <summary>
/// Plays the reverse proxy in front of a protected app inside the browser: asks the portal's forward-auth endpoint
/// with the browser's cookies, then shows a stand-in page for the app or relays the portal's redirect, as nginx or
/// Caddy would.
/// </summary>
internal static class ForwardAuthRoute
{
    public static async Task FulfillAsync(IRoute route, PortalTestHost portal, HttpClient client)
    {
        var target = new Uri(route.Request.Url);
        using var authz = new HttpRequestMessage(HttpMethod.Get, new Uri(portal.BaseAddress, "/api/authz/forward-auth"));
        authz.Headers.Add("X-Forwarded-Proto", target.Scheme);
        authz.Headers.Add("X-Forwarded-Host", target.Authority);
        authz.Headers.Add("X-Forwarded-Uri", target.PathAndQuery);
        authz.Headers.Add("X-Forwarded-Method", route.Request.Method);
        authz.Headers.TryAddWithoutValidation("Accept", "text/html");
        if ((await route.Request.AllHeadersAsync()).TryGetValue("cookie", out var cookie))
        {
            authz.Headers.Add("Cookie", cookie);
        }
        using var reply = await client.SendAsync(authz);
        if (reply.StatusCode == HttpStatusCode.OK)
        {
            var user = reply.Headers.GetValues("Remote-User").Single();
            await route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = "text/html", Body = $"<h1 id=app>Hello {user}</h1>" });
            return;
        }
        var headers = new Dictionary<string, string>();
        if (reply.Headers.Location is { } location)
        {
            headers["Location"] = location.ToString();
        }
        await route.FulfillAsync(new RouteFulfillOptions { Status = (int)reply.StatusCode, Headers = headers, Body = "" });
    }
}
