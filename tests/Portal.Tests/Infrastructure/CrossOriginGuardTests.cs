using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Portal.Infrastructure;
using Portal.Tests.Support;
using Portal.Tests.WebAuthn;

namespace Portal.Tests.Infrastructure;

/// <summary>
/// Issue 11 item 4: every state-changing endpoint refuses a browser request made for another origin (CSRF, login
/// CSRF), judged from <c>Origin</c> and <c>Sec-Fetch-Site</c>. Requests are sent as a TLS-terminating proxy forwards
/// them, so the portal's origin is <c>https://auth.example.com</c>.
/// </summary>
public sealed class CrossOriginGuardTests
{
    private const string PortalOrigin = "https://auth.example.com";

    private static readonly (string Header, string Value)[] CrossOrigin =
    [
        ("Origin", "https://evil.example.com"),
        ("Origin", "null"),
        ("Origin", "http://auth.example.com"),        // same host, other scheme
        ("Origin", "https://auth.example.com:8443"),  // same host, other port
        ("Origin", "https://app.example.com"),        // a sibling host: same site, so SameSite cookies go along
        ("Origin", "https://auth.example.com.evil.com"),
        ("Sec-Fetch-Site", "cross-site"),
        ("Sec-Fetch-Site", "same-site"),
    ];

    [Fact]
    public async Task Every_state_changing_endpoint_refuses_cross_origin_requests_with_403_and_accepts_same_origin_ones()
    {
        await using var host = await PortalTestHost.StartAsync(PasskeyLoginSupport.PasskeyOn);
        var endpoints = StateChangingEndpoints(host);
        // The list comes from the routing table, so an endpoint added later is covered here without editing the test.
        foreach (var expected in new[]
        {
            "POST /api/logout", "POST /api/firstfactor", "POST /api/firstfactor/passkey", "POST /api/secondfactor/password",
            "POST /api/user/session/elevation", "PUT /api/user/session/elevation", "DELETE /api/user/session/elevation/1",
            "POST /api/passkey/enrollment/snooze", "POST /api/secondfactor/webauthn",
            "PUT /api/secondfactor/webauthn/credential/register", "POST /api/secondfactor/webauthn/credential/register",
            "DELETE /api/secondfactor/webauthn/credential/register",
            "PUT /api/secondfactor/webauthn/credential/1", "DELETE /api/secondfactor/webauthn/credential/1",
        })
        {
            Assert.Contains(expected, endpoints.Select(e => $"{e.Method} {e.Path}"));
        }

        foreach (var (method, path) in endpoints)
        {
            foreach (var (header, value) in CrossOrigin)
            {
                using var refused = await SendAsync(host, method, path, [(header, value)]);
                Assert.True(refused.StatusCode == HttpStatusCode.Forbidden, $"{method} {path} with {header}: {value} → {(int)refused.StatusCode}");
                Assert.Equal(CrossOriginGuard.Refused, await MessageAsync(refused));
            }
            foreach (var headers in new[]
            {
                Array.Empty<(string, string)>(),
                [("Origin", PortalOrigin)],
                [("Origin", PortalOrigin), ("Sec-Fetch-Site", "same-origin")],
                [("Sec-Fetch-Site", "none")],
            })
            {
                using var allowed = await SendAsync(host, method, path, headers);
                Assert.True(await MessageAsync(allowed) != CrossOriginGuard.Refused,
                    $"{method} {path} with {string.Join(", ", headers.Select(h => $"{h.Item1}: {h.Item2}"))} was refused");
            }
        }
    }

    [Fact]
    public async Task A_cross_origin_logout_leaves_the_session_valid()
    {
        await using var host = await PortalTestHost.StartAsync();
        var cookie = await host.LoginAsync("john");

        foreach (var header in new[] { ("Origin", "https://evil.example.com"), ("Sec-Fetch-Site", "same-site") })
        {
            using var refused = await SendAsync(host, HttpMethod.Post, "/api/logout", [header], cookie);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Null(PortalTestHost.SessionCookie(refused));
            using var stillIn = await host.ForwardAuthAsync("https://app.example.com/", cookie: cookie);
            Assert.Equal(HttpStatusCode.OK, stillIn.StatusCode);
        }

        using var loggedOut = await SendAsync(host, HttpMethod.Post, "/api/logout", [("Origin", PortalOrigin), ("Sec-Fetch-Site", "same-origin")], cookie);
        Assert.Equal(HttpStatusCode.OK, loggedOut.StatusCode);
        using var gone = await host.ForwardAuthAsync("https://app.example.com/", cookie: cookie, accept: "");
        Assert.Equal(HttpStatusCode.Unauthorized, gone.StatusCode);
    }

    [Fact]
    public async Task A_cross_origin_login_signs_nobody_in_and_a_same_origin_one_does()
    {
        await using var host = await PortalTestHost.StartAsync();
        var body = new { username = "john", password = PortalTestHost.Password };

        using var refused = await SendAsync(host, HttpMethod.Post, "/api/firstfactor", [("Origin", "https://evil.example.com")], body: body);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Null(PortalTestHost.SessionCookie(refused));

        using var signedIn = await SendAsync(host, HttpMethod.Post, "/api/firstfactor", [("Origin", PortalOrigin), ("Sec-Fetch-Site", "same-origin")], body: body);
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        Assert.False(string.IsNullOrEmpty(PortalTestHost.SessionCookie(signedIn)));
    }

    [Fact]
    public async Task A_cross_origin_credential_delete_or_elevation_request_changes_nothing()
    {
        var (host, browser, _) = await WebAuthnTamperTests.ArrangeAsync();
        await using var _ = host;
        var id = (await browser.ListAsync())[0].GetProperty("id").GetInt64();
        var before = browser.Snapshot();
        var mail = Path.Combine(host.DirectoryPath, "notification.txt");
        File.Delete(mail);

        using var delete = await SendAsync(host, HttpMethod.Delete, $"/api/secondfactor/webauthn/credential/{id}", [("Sec-Fetch-Site", "same-site")], browser.Cookie);
        using var elevate = await SendAsync(host, HttpMethod.Post, "/api/user/session/elevation", [("Origin", "https://app.example.com")], browser.Cookie, new { });

        Assert.Equal(HttpStatusCode.Forbidden, delete.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, elevate.StatusCode);
        Assert.Equal(before, browser.Snapshot());
        Assert.False(File.Exists(mail), "a one-time code was mailed");
        using var sameOrigin = await SendAsync(host, HttpMethod.Post, "/api/user/session/elevation", [("Origin", PortalOrigin)], browser.Cookie, new { });
        Assert.Equal(HttpStatusCode.OK, sameOrigin.StatusCode);
        Assert.True(File.Exists(mail));
    }

    [Fact]
    public async Task The_portal_origin_takes_its_scheme_and_host_from_forwarded_headers_only_when_the_peer_is_a_trusted_proxy()
    {
        await using var host = await PortalTestHost.StartAsync("server:\n  trusted_proxies: ['10.0.0.0/8']\n");
        var body = new { username = "john", password = PortalTestHost.Password };

        // The connection is plain http from an untrusted peer: X-Forwarded-Proto https does not make this same-origin.
        using var refused = await SendAsync(host, HttpMethod.Post, "/api/firstfactor", [("Origin", PortalOrigin)], body: body);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        using var forgedHost = await SendAsync(host, HttpMethod.Post, "/api/firstfactor", [("Origin", "http://evil.example.com"), ("X-Forwarded-Host", "evil.example.com")], body: body);
        Assert.Equal(HttpStatusCode.Forbidden, forgedHost.StatusCode);

        using var allowed = await SendAsync(host, HttpMethod.Post, "/api/firstfactor", [("Origin", "http://auth.example.com")], body: body);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task The_legacy_authz_endpoint_answers_a_forwarded_cross_origin_post_as_before()
    {
        await using var host = await PortalTestHost.StartAsync();
        var cookie = await host.LoginAsync("john");

        // nginx passes the app's browser headers along to the legacy endpoint, with the app's method.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/verify");
        request.Headers.Add("X-Original-URL", "https://app.example.com/form");
        request.Headers.Add("Origin", "https://app.example.com");
        request.Headers.Add("Sec-Fetch-Site", "same-origin");
        request.Headers.Add("Cookie", $"authelia_session={cookie}");
        using var verify = await host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
        Assert.Equal("john", PortalTestHost.Header(verify, "Remote-User"));
    }

    /// <summary>Every route that takes a method other than GET/HEAD, outside the authz endpoints, with ids filled in.</summary>
    private static List<(HttpMethod Method, string Path)> StateChangingEndpoints(PortalTestHost host) =>
        [.. ((IEndpointRouteBuilder)host.App).DataSources
            .SelectMany(d => d.Endpoints)
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } p && !p.StartsWith("/api/authz", StringComparison.Ordinal) && !p.StartsWith("/api/verify", StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (Method: m, e.RoutePattern.RawText!)))
            .Where(e => e.Method is not ("GET" or "HEAD"))
            .Select(e => (new HttpMethod(e.Method), e.Item2.Replace("{id}", "1", StringComparison.Ordinal)))
            .Distinct()];

    private static async Task<HttpResponseMessage> SendAsync(PortalTestHost host, HttpMethod method, string path, IEnumerable<(string Name, string Value)> headers,
        string? cookie = null, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = PortalTestHost.JsonBody(body ?? new { }) };
        request.Headers.Host = "auth.example.com";
        request.Headers.Add("X-Forwarded-Proto", "https");
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", $"authelia_session={cookie}");
        }
        return await host.Client.SendAsync(request);
    }

    private static async Task<string?> MessageAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        try
        {
            using var json = JsonDocument.Parse(text);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("message", out var m) ? m.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
