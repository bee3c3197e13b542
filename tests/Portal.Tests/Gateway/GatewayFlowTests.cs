using System.Net;
using Portal.Tests.Support;

namespace Portal.Tests.Gateway;

/// <summary>Starts one gateway (with its portal and upstream) per test class.</summary>
public abstract class GatewayFixture : IAsyncLifetime
{
    internal GatewayTestHost Host { get; private set; } = null!;

    internal abstract Task<GatewayTestHost> StartAsync();

    public async Task InitializeAsync() => Host = await StartAsync();

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

public sealed class InProcessGatewayFixture : GatewayFixture
{
    internal override Task<GatewayTestHost> StartAsync() => GatewayTestHost.StartInProcessAsync(accessControl: GatewayFlowTests.AccessControl);
}

public sealed class RemoteGatewayFixture : GatewayFixture
{
    internal override Task<GatewayTestHost> StartAsync() => GatewayTestHost.StartRemoteAsync(accessControl: GatewayFlowTests.AccessControl);
}

/// <summary>
/// The flows every deployment must pass, through the real gateway over TLS: redirect, login, forward with identity,
/// deny, and the bad inputs of peers-and-security §4b.2–§4b.5, none of which may reach the upstream when the portal
/// would deny or redirect. Runs once with the in-process decision and once against a remote portal.
/// </summary>
public abstract class GatewayFlowTests(GatewayFixture fixture)
{
    /// <summary>PortalTestHost's rules plus a host whose rules depend on the path (for the canonicalization inputs).</summary>
    public static readonly string AccessControl = PortalTestHost.DefaultAccessControl + """

            - domain: 'paths.example.com'
              resources: ['^/public([/?].*)?$']
              policy: bypass
            - domain: 'paths.example.com'
              policy: one_factor
        """;

    private GatewayTestHost Host => fixture.Host;

    /// <summary>A path no other test uses, so upstream records are this test's alone.</summary>
    private static string Unique(string name) => $"/{name}-{Guid.NewGuid():N}";

    [Fact]
    public async Task Anonymous_browser_get_is_redirected_to_the_portal_with_rd_and_rm_and_nothing_is_forwarded()
    {
        var path = Unique("private") + "?x=1&y=%2F";
        using var response = await Host.GetAsync("app.example.com", path);
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        var target = Host.Url("app.example.com", path);
        Assert.Equal($"https://auth.example.com/?rd={Uri.EscapeDataString(target)}&rm=GET", response.Headers.Location?.OriginalString);
        Assert.Empty(Host.Reached(path.Split('?')[0]));
    }

    [Fact]
    public async Task Anonymous_browser_post_is_sent_to_the_portal_with_303_and_rm_post()
    {
        var path = Unique("form");
        using var response = await Host.SendAsync(HttpMethod.Post, "app.example.com", path, tweak: r => r.Content = new StringContent("a=b"));
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.EndsWith("&rm=POST", response.Headers.Location?.OriginalString, StringComparison.Ordinal);
        Assert.Empty(Host.Reached(path));
    }

    [Theory]
    [InlineData("application/json", null)]
    [InlineData("text/html", "XMLHttpRequest")]
    public async Task Anonymous_api_or_xhr_request_gets_401_and_nothing_is_forwarded(string accept, string? requestedWith)
    {
        var path = Unique("api");
        using var response = await Host.GetAsync("app.example.com", path, accept: accept, tweak: r =>
        {
            if (requestedWith is not null)
            {
                r.Headers.Add("X-Requested-With", requestedWith);
            }
        });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(Host.Reached(path));
    }

    [Fact]
    public async Task Logged_in_user_is_forwarded_with_remote_headers_and_gateway_forwarded_headers()
    {
        var cookie = await Host.LoginAsync("john");
        var path = Unique("hello");
        using var response = await Host.GetAsync("app.example.com", path + "?q=1", cookie);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(EchoUpstream.Marker, PortalTestHost.Header(response, "X-Upstream"));
        var seen = Assert.Single(Host.Reached(path));
        Assert.Equal(path + "?q=1", seen.PathAndQuery);
        Assert.Equal("john", seen.Single("Remote-User"));
        Assert.Equal("admins,dev", seen.Single("Remote-Groups"));
        Assert.Equal("john@example.com", seen.Single("Remote-Email"));
        Assert.Equal("John Doe", seen.Single("Remote-Name"));
        Assert.Equal("127.0.0.1", seen.Single("X-Forwarded-For"));
        Assert.Equal("https", seen.Single("X-Forwarded-Proto"));
        Assert.Equal($"app.example.com:{Host.Port}", seen.Single("X-Forwarded-Host"));
        Assert.Equal($"app.example.com:{Host.Port}", seen.Host);
    }

    [Fact]
    public async Task Session_cookie_is_removed_upstream_but_the_apps_own_cookies_are_kept()
    {
        var cookie = await Host.LoginAsync("john");
        var path = Unique("cookies");
        using var response = await Host.GetAsync("app.example.com", path, tweak: r =>
            r.Headers.TryAddWithoutValidation("Cookie", $"theme=dark; authelia_session={cookie}; lang=en"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = Assert.Single(Host.Reached(path));
        Assert.Equal("theme=dark; lang=en", seen.Single("Cookie"));
        Assert.DoesNotContain(cookie, string.Join(";", seen.Headers.Values.SelectMany(v => v)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Route_with_pass_session_cookie_forwards_the_session_cookie()
    {
        var cookie = await Host.LoginAsync("john", portalHost: "auth.example.net");
        var path = "/keeps-cookie" + Unique("x");
        using var response = await Host.GetAsync("app.example.net", path, cookie);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"authelia_session={cookie}", Assert.Single(Host.Reached(path)).Single("Cookie"));
    }

    [Theory]
    [InlineData("deny.example.com", "john")]
    [InlineData("admin.example.com", "harry")]
    public async Task Denied_user_gets_the_403_page_and_the_upstream_sees_nothing(string host, string user)
    {
        var cookie = await Host.LoginAsync(user);
        var path = Unique("denied");
        using var response = await Host.GetAsync(host, path, cookie);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("<h1>Forbidden</h1>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(Host.Reached(path));
    }

    [Fact]
    public async Task Two_factor_rule_with_one_factor_session_redirects_to_the_portal()
    {
        var cookie = await Host.LoginAsync("john");
        var path = Unique("secure");
        using var response = await Host.GetAsync("secure.example.com", path, cookie);
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Empty(Host.Reached(path));
    }

    [Fact]
    public async Task Host_without_a_route_is_404_and_never_forwarded()
    {
        var path = Unique("nowhere");
        using var response = await Host.GetAsync("app.example.org", path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(Host.Reached(path));
    }

    [Fact]
    public async Task Forged_identity_headers_in_every_spelling_never_reach_the_upstream()
    {
        var path = Unique("forged");
        var response = await Host.SendRawAsync("public.example.com", path, "GET",
            ("Remote-User", "admin"), ("remote_user", "admin"), ("REMOTE-USER", "admin"), ("Remote_User", "admin"),
            ("Remote-Groups", "admins"), ("Remote_Groups", "admins"), ("Remote-Email", "a@evil.com"), ("Remote-Name", "Admin"),
            ("X-Forwarded-For", "10.9.9.9"), ("X-Forwarded-For", "10.8.8.8"), ("X_Forwarded_For", "10.7.7.7"), ("x-forwarded-for", "10.6.6.6"),
            ("X-Real-IP", "10.5.5.5"), ("X-Forwarded-Host", "evil.com"), ("X-Forwarded-Proto", "http"), ("X-Forwarded-Uri", "/admin"),
            ("X-Forwarded-Method", "DELETE"), ("X-Forwarded-Prefix", "/evil"), ("X-Original-URL", "https://admin.example.com/"),
            ("X-Original-Method", "DELETE"), ("Forwarded", "for=10.4.4.4;host=evil.com;proto=http"), ("Session-Username", "admin"));
        Assert.Equal(200, response.Status);
        var seen = Assert.Single(Host.Reached(path));
        Assert.Empty(seen.NamesLike("remote"));
        Assert.Equal(["127.0.0.1"], seen.Values("X-Forwarded-For"));
        Assert.Single(seen.NamesLike("xforwardedfor"));
        Assert.Equal(["https"], seen.Values("X-Forwarded-Proto"));
        Assert.Equal([$"public.example.com:{Host.Port}"], seen.Values("X-Forwarded-Host"));
        foreach (var gone in new[] { "X-Real-IP", "X-Forwarded-Uri", "X-Forwarded-Method", "X-Forwarded-Prefix", "X-Original-URL", "X-Original-Method", "Forwarded", "Session-Username" })
        {
            Assert.Empty(seen.Values(gone));
        }
    }

    [Fact]
    public async Task Logged_in_users_identity_cannot_be_replaced_by_forged_headers()
    {
        var cookie = await Host.LoginAsync("harry");
        var path = Unique("impersonate");
        var response = await Host.SendRawAsync("app.example.com", path, "GET",
            ("Cookie", $"authelia_session={cookie}"), ("Remote-User", "john"), ("remote_user", "john"), ("Remote-Groups", "admins"));
        Assert.Equal(200, response.Status);
        var seen = Assert.Single(Host.Reached(path));
        Assert.Equal(["Remote-Email", "Remote-Groups", "Remote-Name", "Remote-User"], seen.NamesLike("remote").Order(StringComparer.Ordinal));
        Assert.Equal(["harry"], seen.Values("Remote-User"));
        Assert.Equal(["dev"], seen.Values("Remote-Groups"));
    }

    [Fact]
    public async Task Hop_by_hop_list_in_connection_cannot_strip_the_gateways_own_headers()
    {
        var cookie = await Host.LoginAsync("john");
        var path = Unique("hop");
        var response = await Host.SendRawAsync("app.example.com", path, "GET",
            ("Cookie", $"authelia_session={cookie}"),
            ("Connection", "close, X-Forwarded-For, X-Forwarded-Host, X-Forwarded-Proto, Remote-User, Remote-Groups"));
        Assert.Equal(200, response.Status);
        var seen = Assert.Single(Host.Reached(path));
        Assert.Equal(["john"], seen.Values("Remote-User"));
        Assert.Equal(["admins,dev"], seen.Values("Remote-Groups"));
        Assert.Equal(["127.0.0.1"], seen.Values("X-Forwarded-For"));
        Assert.Equal(["https"], seen.Values("X-Forwarded-Proto"));
        Assert.Equal([$"app.example.com:{Host.Port}"], seen.Values("X-Forwarded-Host"));
    }

    [Theory]
    [InlineData("X-Forwarded-For", "10.0.0.1")]
    [InlineData("X-Real-IP", "10.0.0.1")]
    [InlineData("X_Forwarded_For", "10.0.0.1")]
    [InlineData("Forwarded", "for=10.0.0.1")]
    public async Task Forged_client_address_does_not_change_the_decision(string header, string value)
    {
        // internal.example.com bypasses 10.0.0.0/8 and asks everyone else to log in.
        var path = Unique("internal");
        var response = await Host.SendRawAsync("internal.example.com", path, "GET", ("Accept", "text/html"), (header, value));
        Assert.Equal(302, response.Status);
        Assert.Empty(Host.Reached(path));
    }

    [Theory]
    [InlineData("X-Forwarded-Host", "public.example.com")]
    [InlineData("X-Forwarded-Uri", "/public")]
    [InlineData("X-Original-URL", "https://public.example.com/")]
    [InlineData("X-Forwarded-Proto", "http")]
    [InlineData("Remote-User", "john")]
    public async Task Forged_target_or_identity_headers_do_not_change_the_decision(string header, string value)
    {
        var path = Unique("target");
        var response = await Host.SendRawAsync("app.example.com", path, "GET", ("Accept", "text/html"), (header, value));
        Assert.Equal(302, response.Status);
        Assert.StartsWith("https://auth.example.com/?rd=" + Uri.EscapeDataString(Host.Url("app.example.com", path)), response.Header("Location"), StringComparison.Ordinal);
        Assert.Empty(Host.Reached(path));
    }

    /// <summary>§4b.4: every spelling of a protected path gets the protected path's answer (a redirect), never the bypass.</summary>
    [Theory]
    [InlineData("/public/../private")]
    [InlineData("/public/%2e%2e/private")]
    [InlineData("/public/%2E%2E/private")]
    [InlineData("/public/..%2Fprivate")]
    [InlineData("/public%2F..%2Fprivate")]
    [InlineData("/public/./../private")]
    [InlineData("//private")]
    [InlineData("/private?x=/public")]
    [InlineData("/private#/public")]
    [InlineData("/private;/public")]
    [InlineData("/PUBLIC/../private")]
    [InlineData("/public/%2e%2e%2fprivate")]
    public async Task Path_spellings_of_a_protected_page_are_redirected_and_never_forwarded(string rawTarget)
    {
        Host.Upstream.Clear();
        var response = await Host.SendRawAsync("paths.example.com", rawTarget, "GET", ("Accept", "text/html"));
        // 400 where Kestrel or the target parser refuses the spelling outright; either way it is not a pass.
        Assert.True(response.Status is 302 or 400, $"status {response.Status}");
        Assert.DoesNotContain(Host.Upstream.Requests, r => r.Host.StartsWith("paths.example.com", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("PATHS.Example.COM")]
    [InlineData("paths.example.com.")]
    public async Task Host_spellings_never_reach_the_upstream_without_a_decision(string host)
    {
        var path = Unique("private");
        var response = await Host.SendRawAsync(host, path, "GET", ("Accept", "text/html"));
        Assert.True(response.Status is 302 or 400 or 404, $"status {response.Status}");
        Assert.Empty(Host.Reached(path));
    }

    [Theory]
    [InlineData("xn--zz.example.com")]
    [InlineData("xn--.example.com")]
    [InlineData("xn--a.xn--zz")]
    [InlineData("XN--ZZ.example.com")]
    public async Task Host_that_is_not_valid_punycode_gets_the_400_page_and_nothing_is_forwarded(string host)
    {
        var path = Unique("idn");
        var response = await Host.SendRawAsync(host, path, "GET", ("Accept", "text/html"));
        Assert.Equal(400, response.Status);
        Assert.Contains("not a valid internationalised domain name", response.Body, StringComparison.Ordinal);
        Assert.Empty(Host.Reached(path));
    }

    [Fact]
    public async Task Bypass_path_is_forwarded_without_identity()
    {
        var path = "/public" + Unique("page");
        var response = await Host.SendRawAsync("paths.example.com", path, "GET", ("Accept", "text/html"));
        Assert.Equal(200, response.Status);
        Assert.Empty(Assert.Single(Host.Reached(path)).NamesLike("remote"));
    }

    /// <summary>§4b.5: broken, oversized or doubled session cookies are anonymous, never a pass.</summary>
    [Theory]
    [InlineData("authelia_session=garbage")]
    [InlineData("authelia_session=")]
    [InlineData("authelia_session=%00%01")]
    [InlineData("authelia_session=a; authelia_session=b")]
    [InlineData("authelia_session=\"quoted\"")]
    public async Task Malformed_session_cookie_is_redirected_and_never_forwarded(string cookieHeader)
    {
        var path = Unique("badcookie");
        var response = await Host.SendRawAsync("app.example.com", path, "GET", ("Accept", "text/html"), ("Cookie", cookieHeader));
        Assert.Equal(302, response.Status);
        Assert.Empty(Host.Reached(path));
    }

    [Fact]
    public async Task Oversized_session_cookie_is_refused_and_never_forwarded()
    {
        var path = Unique("bigcookie");
        var response = await Host.SendRawAsync("app.example.com", path, "GET", ("Accept", "text/html"), ("Cookie", "authelia_session=" + new string('a', 6000)));
        Assert.True(response.Status is 302 or 400 or 431, $"status {response.Status}");
        Assert.Empty(Host.Reached(path));
    }

    [Fact]
    public async Task Valid_session_next_to_a_garbage_duplicate_is_not_a_pass()
    {
        var cookie = await Host.LoginAsync("john");
        var path = Unique("twocookies");
        var response = await Host.SendRawAsync("app.example.com", path, "GET", ("Accept", "text/html"),
            ("Cookie", $"authelia_session=garbage; authelia_session={cookie}"));
        Assert.NotEqual(200, response.Status);
        Assert.Empty(Host.Reached(path));
    }

    [Fact]
    public async Task Logged_out_session_is_redirected_again()
    {
        var cookie = await Host.LoginAsync("bob");
        var path = Unique("again");
        using (var allowed = await Host.GetAsync("app.example.com", path, cookie))
        {
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }
        using (var logout = await Host.Portal.Client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/logout")
        {
            Headers = { { "Host", "auth.example.com" }, { "Cookie", $"authelia_session={cookie}" } },
            Content = PortalTestHost.JsonBody(new { }),
        }))
        {
            Assert.True(logout.IsSuccessStatusCode, $"logout: {(int)logout.StatusCode}");
        }
        using var response = await Host.GetAsync("app.example.com", path + "-after", cookie);
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Empty(Host.Reached(path + "-after"));
    }

    [Fact]
    public async Task Unparseable_method_is_refused_and_never_forwarded()
    {
        var path = Unique("method");
        var response = await Host.SendRawAsync("public.example.com", path, "M-SEARCH");
        Assert.Equal(400, response.Status);
        Assert.Empty(Host.Reached(path));
    }

    [Fact]
    public async Task Websocket_upgrade_on_a_route_without_websockets_is_refused_and_never_forwarded()
    {
        var path = "/no-websockets" + Unique("ws");
        var response = await Host.SendRawAsync("public.example.com", path, "GET",
            ("Connection", "Upgrade"), ("Upgrade", "websocket"), ("Sec-WebSocket-Version", "13"), ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="));
        Assert.Equal(400, response.Status);
        Assert.Empty(Host.Reached(path));
    }

    [Fact]
    public async Task Head_request_for_a_protected_page_gets_a_redirect_without_body()
    {
        var path = Unique("head");
        using var response = await Host.SendAsync(HttpMethod.Head, "app.example.com", path);
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Empty(Host.Reached(path));
    }
}

public sealed class InProcessGatewayFlowTests(InProcessGatewayFixture fixture) : GatewayFlowTests(fixture), IClassFixture<InProcessGatewayFixture>;

public sealed class RemoteGatewayFlowTests(RemoteGatewayFixture fixture) : GatewayFlowTests(fixture), IClassFixture<RemoteGatewayFixture>;
