using System.Net;
using System.Text;
using Portal.Tests.Support;

namespace Portal.Tests.Proxies;

/// <summary>The rules every front is tested with: host rules, path rules on app.example.com, a network rule.</summary>
internal static class ProxyFlowAccessControl
{
    public const string Yaml = """
        access_control:
          default_policy: deny
          rules:
            - domain: 'public.example.com'
              policy: bypass
            - domain: 'deny.example.com'
              policy: deny
            - domain: 'secure.example.com'
              policy: two_factor
            - domain: 'admin.example.com'
              subject: 'group:admins'
              policy: one_factor
            - domain: 'admin.example.com'
              subject: 'group:dev'
              policy: deny
            - domain: 'app.example.com'
              resources: ['^/public([/?].*)?$']
              policy: bypass
            - domain: 'app.example.com'
              resources: ['^/admin([/?].*)?$']
              policy: deny
            - domain: 'app.example.com'
              policy: one_factor
            - domain: 'internal.example.com'
              networks: ['10.0.0.0/8']
              policy: bypass
            - domain: 'internal.example.com'
              policy: one_factor
        """;
}

/// <summary>
/// The browser-facing flows of forward auth, run against every front (nginx, Caddy, the gateway): the portal
/// decides, the front enforces, and nothing the portal would deny or redirect ever reaches the upstream. Each
/// request carries a unique X-Probe header so a test sees exactly which of its requests reached the upstream.
/// </summary>
public abstract class ProxyFlowSuite<TFront>(TFront front) : IClassFixture<TFront>
    where TFront : ProxyFront
{
    private const string Forged = "forged-by-client";

    private TFront Front { get; } = front;

    [Fact]
    public async Task Anonymous_browser_GET_is_redirected_to_the_portal_with_rd_and_rm()
    {
        var probe = NewProbe();
        using var response = await Get("https://app.example.com/some/page?x=1&y=2", probe);

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        var location = response.Headers.Location ?? throw new Xunit.Sdk.XunitException("no Location");
        Assert.Equal("https://auth.example.com/", location.GetLeftPart(UriPartial.Path));
        var query = System.Web.HttpUtility.ParseQueryString(location.Query);
        Assert.Equal("https://app.example.com/some/page?x=1&y=2", query["rd"]);
        Assert.Equal("GET", query["rm"]);
        Assert.Empty(Reached(probe));
    }

    [Theory]
    [InlineData("X-Requested-With", "XMLHttpRequest", "text/html")]
    [InlineData("X-Probe-Kind", "api", "application/json")]
    [InlineData("X-Probe-Kind", "no-accept", "")]
    public async Task Anonymous_script_request_gets_401_not_a_redirect(string header, string value, string accept)
    {
        var probe = NewProbe();
        using var response = await Get("https://app.example.com/api/data", probe, accept: accept, headers: [(header, value)]);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(Reached(probe));
    }

    [Fact]
    public async Task Password_login_through_the_proxy_gives_a_session_that_reaches_the_upstream_with_the_identity_headers()
    {
        var cookie = await LoginAsync("john");
        var probe = NewProbe();
        using var response = await Get("https://app.example.com/dashboard", probe, cookie);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = Assert.Single(Reached(probe));
        Assert.Equal(["john"], seen.Values("Remote-User"));
        Assert.Equal(["admins,dev"], seen.Values("Remote-Groups"));
        Assert.Equal(["john@example.com"], seen.Values("Remote-Email"));
        Assert.Equal(["John Doe"], seen.Values("Remote-Name"));
        Assert.Equal("/dashboard", seen.PathAndQuery);
    }

    [Fact]
    public async Task Login_response_through_the_proxy_sets_a_secure_cookie_for_the_cookie_domain()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://auth.example.com/api/firstfactor")
        {
            Content = PortalTestHost.JsonBody(new { username = "harry", password = PortalTestHost.Password, keepMeLoggedIn = false }),
        };
        using var response = await Front.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var setCookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("authelia_session=", StringComparison.Ordinal));
        Assert.Contains("domain=example.com", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("secure", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("john", "https://deny.example.com/")]
    [InlineData("harry", "https://admin.example.com/")]
    [InlineData("john", "https://app.example.com/admin/users")]
    [InlineData(null, "https://deny.example.com/")]
    public async Task Denied_request_gets_403_and_the_upstream_sees_nothing(string? user, string url)
    {
        var cookie = user is null ? null : await LoginAsync(user);
        var probe = NewProbe();
        using var response = await Get(url, probe, cookie);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(Reached(probe));
    }

    [Fact]
    public async Task One_factor_session_on_a_two_factor_host_is_sent_back_to_the_portal()
    {
        var cookie = await LoginAsync("john");
        var probe = NewProbe();
        using var response = await Get("https://secure.example.com/", probe, cookie);

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.StartsWith("https://auth.example.com/", response.Headers.Location?.AbsoluteUri, StringComparison.Ordinal);
        Assert.Empty(Reached(probe));
    }

    [Fact]
    public async Task Bypass_host_reaches_the_upstream_without_any_identity_header_even_a_forged_one()
    {
        var probe = NewProbe();
        var response = await Front.SendRawAsync("public.example.com", Raw("GET", "/", "public.example.com", probe,
            ("Remote-User", Forged), ("remote-user", Forged), ("REMOTE-GROUPS", Forged), ("Remote_User", Forged),
            ("remote_email", Forged), ("Remote-Name", Forged)));

        Assert.Equal(200, response.StatusCode);
        var seen = Assert.Single(Reached(probe));
        Assert.Empty(seen.NamesLike("remote"));
        AssertNothingForged(seen);
    }

    [Fact]
    public async Task Forged_identity_headers_in_any_case_or_spelling_are_replaced_by_the_portal_s_answer()
    {
        var cookie = await LoginAsync("bob");
        var probe = NewProbe();
        var response = await Front.SendRawAsync("app.example.com", Raw("GET", "/", "app.example.com", probe,
            ("Cookie", $"authelia_session={cookie}"),
            ("Remote-User", Forged), ("remote-user", Forged), ("REMOTE-USER", Forged), ("Remote_User", Forged), ("remote_user", Forged),
            ("Remote-Groups", "admins"), ("Remote_Groups", "admins"), ("Remote-Email", Forged), ("Remote-Name", Forged)));

        Assert.Equal(200, response.StatusCode);
        var seen = Assert.Single(Reached(probe));
        Assert.Equal(["bob"], seen.Values("Remote-User"));
        Assert.Equal(["Bob Dylan"], seen.Values("Remote-Name"));
        Assert.Equal(["bob@example.com"], seen.Values("Remote-Email"));
        // bob has no groups: the portal sends an empty Remote-Groups (or none); never the client's "admins".
        Assert.All(seen.Values("Remote-Groups"), v => Assert.Equal("", v));
        Assert.DoesNotContain(seen.Headers.Keys, k => k.Contains('_', StringComparison.Ordinal));
        AssertNothingForged(seen);
    }

    /// <summary>
    /// Identity headers that apps behind other SSO proxies trust (oauth2-proxy, Grafana/Gitea auth proxy, authentik,
    /// Apache's REMOTE_USER): an app moved behind Portal may still read them, so no client may send them.
    /// </summary>
    private static readonly (string Name, string Value)[] ForeignIdentity =
    [
        ("X-Forwarded-User", Forged), ("X-Forwarded-Email", Forged), ("X-Forwarded-Groups", Forged),
        ("X-Forwarded-Preferred-Username", Forged), ("X-Forwarded-Access-Token", Forged),
        ("X-Remote-User", Forged), ("x-remote-user", Forged), ("X-Remote-Email", Forged), ("X-Remote-Groups", Forged), ("X-Remote-Name", Forged),
        ("X-Auth-Request-User", Forged), ("X-Auth-Request-Email", Forged), ("X-Auth-Request-Groups", Forged),
        ("X-Auth-Request-Preferred-Username", Forged), ("X-Auth-Request-Access-Token", Forged),
        ("X-Webauth-User", Forged), ("X-WEBAUTH-USER", Forged), ("X-Webauth-Email", Forged), ("X-Webauth-Name", Forged),
        ("X-Webauth-Fullname", Forged), ("X-Webauth-Groups", Forged), ("X-Webauth-Role", Forged),
        ("X-Authentik-Username", Forged), ("X-Authentik-Email", Forged), ("X-Authentik-Groups", Forged),
        ("X-Authentik-Name", Forged), ("X-Authentik-Uid", Forged),
    ];

    [Theory]
    [InlineData("public.example.com", null)]
    [InlineData("app.example.com", "john")]
    public async Task Identity_headers_that_other_apps_trust_never_reach_the_upstream(string host, string? user)
    {
        var cookie = user is null ? null : await LoginAsync(user);
        var probe = NewProbe();
        (string, string)[] cookieHeader = cookie is null ? [] : [("Cookie", $"authelia_session={cookie}")];
        var response = await Front.SendRawAsync(host, Raw("GET", "/", host, probe, [.. cookieHeader, .. ForeignIdentity]));

        Assert.Equal(200, response.StatusCode);
        var seen = Assert.Single(Reached(probe));
        foreach (var (name, _) in ForeignIdentity)
        {
            Assert.Empty(seen.Values(name));
        }
        AssertNothingForged(seen);
        Assert.Equal(user is null ? [] : [user], seen.Values("Remote-User"));
    }

    /// <summary>Every forwarded header an attacker could try (peers-and-security §4b.2), with values naming other targets.</summary>
    private static readonly (string Name, string Value)[] ForgedForwarding =
    [
        ("X-Forwarded-For", "10.6.6.6"), ("X-Real-IP", "10.6.6.6"), ("X_Forwarded_For", "10.6.6.6"), ("Forwarded", "for=10.6.6.6;host=public.example.com"),
        ("X-Forwarded-Host", "public.example.com"), ("x-forwarded-host", "public.example.com"), ("X-Forwarded-Proto", "http"),
        ("X-Forwarded-Uri", "/public/" + Forged), ("X-Forwarded-Method", "OPTIONS"), ("X-Forwarded-Prefix", "/public/" + Forged),
        ("X-Original-URL", "https://public.example.com/" + Forged), ("X-Original-Method", "OPTIONS"), ("X_Original_URL", "https://public.example.com/" + Forged),
    ];

    [Fact]
    public async Task Forged_forwarded_headers_never_reach_the_upstream()
    {
        var cookie = await LoginAsync("john");
        var probe = NewProbe();
        var response = await Front.SendRawAsync("app.example.com", Raw("GET", "/page", "app.example.com", probe,
            [("Cookie", $"authelia_session={cookie}"), .. ForgedForwarding]));

        Assert.Equal(200, response.StatusCode);
        var seen = Assert.Single(Reached(probe));
        foreach (var (name, value) in seen.Headers)
        {
            Assert.All(value, v => Assert.DoesNotContain("6.6.6", v, StringComparison.Ordinal));
            Assert.All(value, v => Assert.DoesNotContain("public.example.com", v, StringComparison.OrdinalIgnoreCase));
            Assert.False(name.Contains('_', StringComparison.Ordinal), $"header {name} reached the upstream");
        }
        AssertNothingForged(seen);
        Assert.Equal(["john"], seen.Values("Remote-User"));
    }

    [Theory]
    [InlineData("app.example.com", "/page")]
    [InlineData("internal.example.com", "/")]
    [InlineData("app.example.com", "/admin")]
    public async Task Forged_forwarded_headers_do_not_change_the_decision(string host, string path)
    {
        var probe = NewProbe();
        var response = await Front.SendRawAsync(host, Raw("GET", path, host, probe, ForgedForwarding));

        Assert.NotEqual(200, response.StatusCode);
        Assert.Empty(Reached(probe));
    }

    [Fact]
    public async Task Client_X_Forwarded_For_cannot_select_a_network_rule()
    {
        // internal.example.com is bypassed for 10.0.0.0/8 only; the test client is loopback, not in that range.
        var probe = NewProbe();
        using var response = await Get("https://internal.example.com/", probe, headers: [("X-Forwarded-For", "10.1.2.3"), ("X-Real-IP", "10.1.2.3")]);

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Empty(Reached(probe));
    }

    [Fact]
    public async Task Connection_header_cannot_strip_the_proxy_s_own_headers()
    {
        var cookie = await LoginAsync("john");
        var probe = NewProbe();
        var anonymous = await Front.SendRawAsync("app.example.com", Raw("GET", "/", "app.example.com", probe,
            ("Connection", "close, X-Forwarded-For, X-Forwarded-Host, X-Forwarded-Uri, X-Original-URL, Remote-User")));
        Assert.Equal(302, anonymous.StatusCode);
        Assert.Empty(Reached(probe));

        var probe2 = NewProbe();
        var loggedIn = await Front.SendRawAsync("app.example.com", Raw("GET", "/", "app.example.com", probe2,
            ("Cookie", $"authelia_session={cookie}"), ("Connection", "close, Remote-User, Remote-Groups, X-Forwarded-For, X-Forwarded-Proto")));
        Assert.Equal(200, loggedIn.StatusCode);
        var seen = Assert.Single(Reached(probe2));
        Assert.Equal(["john"], seen.Values("Remote-User"));
        Assert.Equal(["admins,dev"], seen.Values("Remote-Groups"));
        Assert.Equal(["127.0.0.1"], seen.Values("X-Forwarded-For"));
        Assert.Equal(["https"], seen.Values("X-Forwarded-Proto"));
    }

    /// <summary>§4b.4 path spellings around /public (bypass) and /admin (deny) on app.example.com.</summary>
    [Theory]
    [InlineData("/public/../private")]
    [InlineData("/public/%2e%2e/private")]
    [InlineData("/public/%2E%2E/private")]
    [InlineData("/public/.%2e/private")]
    [InlineData("/public/..%2Fprivate")]
    [InlineData("/public%2F..%2Fprivate")]
    [InlineData("/public/%252e%252e/private")]
    [InlineData("/public/./../private")]
    [InlineData("/public//../../private")]
    [InlineData("/public/..;/private")]
    [InlineData("/public;x/../private")]
    [InlineData("/public/..\\private")]
    [InlineData("/private?x=/public/")]
    [InlineData("/private#/public/")]
    [InlineData("//public/../private")]
    [InlineData("/%70ublic/../private")]
    [InlineData("/x/../admin")]
    [InlineData("/%61dmin")]
    [InlineData("/admin/")]
    [InlineData("//admin")]
    [InlineData("/./admin")]
    [InlineData("/admin;x")]
    [InlineData("/admin%2F")]
    [InlineData("/public/../admin")]
    public async Task Path_spellings_never_get_past_the_proxy_to_a_path_the_portal_would_refuse(string target)
    {
        foreach (var user in new[] { null, "harry" })
        {
            var cookie = user is null ? null : await LoginAsync(user);
            var probe = NewProbe();
            var extra = cookie is null ? Array.Empty<(string, string)>() : [("Cookie", $"authelia_session={cookie}")];
            await Front.SendRawAsync("app.example.com", Raw("GET", target, "app.example.com", probe, extra));
            await AssertPortalApprovesWhatReachedUpstream(probe, cookie);
        }
    }

    /// <summary>§4b.4 host spellings and §4b.2 host spoofing: SNI, Host and absolute request targets that disagree.</summary>
    [Theory]
    [InlineData("deny.example.com", "GET / HTTP/1.1", "DENY.example.com")]
    [InlineData("deny.example.com", "GET / HTTP/1.1", "deny.example.com.")]
    [InlineData("deny.example.com", "GET / HTTP/1.1", "deny.example.com:443")]
    [InlineData("deny.example.com", "GET / HTTP/1.1", "deny.example.com:8443")]
    [InlineData("app.example.com", "GET / HTTP/1.1", "App.Example.Com")]
    [InlineData("app.example.com", "GET https://app.example.com/ HTTP/1.1", "public.example.com")]
    [InlineData("public.example.com", "GET https://app.example.com/ HTTP/1.1", "public.example.com")]
    [InlineData("public.example.com", "GET https://deny.example.com/ HTTP/1.1", "public.example.com")]
    [InlineData("public.example.com", "GET / HTTP/1.1", "deny.example.com")]
    [InlineData("public.example.com", "GET / HTTP/1.1", "public.example.com\r\nHost: deny.example.com")]
    [InlineData("deny.example.com", "GET / HTTP/1.1", "deny.example.com\r\nHost: public.example.com")]
    [InlineData("app.example.com", "GET / HTTP/1.1", "app.example.com\r\nX-Forwarded-Host: public.example.com\r\nX-Forwarded-Host: public.example.com")]
    [InlineData("app.example.com", "GET / HTTP/1.1", "[::1]")]
    [InlineData("app.example.com", "GET / HTTP/1.1", "127.0.0.1")]
    [InlineData("app.example.com", "GET / HTTP/1.1", "")]
    public async Task Host_spellings_and_spoofing_never_reach_the_upstream_for_a_host_the_portal_would_refuse(string sni, string requestLine, string hostHeader)
    {
        var probe = NewProbe();
        var raw = $"{requestLine}\r\nHost: {hostHeader}\r\nAccept: text/html\r\nX-Probe: {probe}\r\nConnection: close\r\n\r\n";
        await Front.SendRawAsync(sni, raw);
        await AssertPortalApprovesWhatReachedUpstream(probe, cookie: null);
    }

    [Theory]
    [InlineData("authelia_session=garbage")]
    [InlineData("authelia_session=")]
    [InlineData("authelia_session=a; authelia_session=b")]
    public async Task Garbage_session_cookie_is_sent_to_the_portal_login(string cookieHeader)
    {
        var probe = NewProbe();
        using var response = await Get("https://app.example.com/", probe, headers: [("Cookie", cookieHeader)]);

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Empty(Reached(probe));
    }

    // ---- helpers ----

    private static string NewProbe() => Guid.NewGuid().ToString("N");

    private IReadOnlyList<UpstreamRequest> Reached(string probe) =>
        [.. Front.Upstream.Requests.Where(r => r.Single("X-Probe") == probe)];

    private async Task<HttpResponseMessage> Get(string url, string probe, string? cookie = null, string accept = "text/html",
        (string Name, string Value)[]? headers = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("X-Probe", probe);
        if (accept.Length > 0)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", $"authelia_session={cookie}");
        }
        foreach (var (name, value) in headers ?? [])
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        return await Front.SendAsync(request);
    }

    /// <summary>Logs in through the front at https://auth.example.com, as a browser would.</summary>
    private async Task<string> LoginAsync(string username)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://auth.example.com/api/firstfactor")
        {
            Content = PortalTestHost.JsonBody(new { username, password = PortalTestHost.Password, keepMeLoggedIn = false }),
        };
        using var response = await Front.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return PortalTestHost.SessionCookie(response) ?? throw new Xunit.Sdk.XunitException("login through the proxy set no session cookie");
    }

    private static string Raw(string method, string target, string host, string probe, params (string Name, string Value)[] headers)
    {
        var text = new StringBuilder($"{method} {target} HTTP/1.1\r\nHost: {host}\r\nAccept: text/html\r\nX-Probe: {probe}\r\n");
        foreach (var (name, value) in headers)
        {
            text.Append(name).Append(": ").Append(value).Append("\r\n");
        }
        if (!headers.Any(h => h.Name.Equals("Connection", StringComparison.OrdinalIgnoreCase)))
        {
            text.Append("Connection: close\r\n");
        }
        return text.Append("\r\n").ToString();
    }

    private static void AssertNothingForged(UpstreamRequest seen)
    {
        foreach (var (name, values) in seen.Headers)
        {
            Assert.All(values, v => Assert.False(v.Contains(Forged, StringComparison.Ordinal), $"forged value reached the upstream in {name}: {v}"));
        }
        Assert.DoesNotContain(Forged, seen.PathAndQuery, StringComparison.Ordinal);
    }

    /// <summary>
    /// The no-bypass oracle: for each request of <paramref name="probe"/> that reached the upstream, ask the portal
    /// directly about exactly what the upstream saw (its Host, path and query) with the same session. Anything but
    /// 200 means the front let through a request the portal refuses.
    /// </summary>
    private async Task AssertPortalApprovesWhatReachedUpstream(string probe, string? cookie)
    {
        foreach (var seen in Reached(probe))
        {
            // The upstream's path is decoded once (Kestrel): escape each segment again (a literal "%2e" becomes
            // "%252e") so the portal, decoding once, reads the very segments the upstream served.
            var query = seen.PathAndQuery.IndexOf('?', StringComparison.Ordinal);
            var path = query < 0 ? seen.PathAndQuery : seen.PathAndQuery[..query];
            var url = $"https://{seen.Host}{string.Join('/', path.Split('/').Select(Uri.EscapeDataString))}{(query < 0 ? "" : seen.PathAndQuery[query..])}";
            using var verdict = await Front.Portal.ForwardAuthAsync(url, seen.Method, cookie);
            Assert.True(verdict.StatusCode == HttpStatusCode.OK,
                $"the upstream served {seen.Method} {url}, which the portal answers with {(int)verdict.StatusCode}");
        }
    }
}

[Trait("Category", "Integration")]
public sealed class NginxProxyFlowTests(NginxFront front) : ProxyFlowSuite<NginxFront>(front);

[Trait("Category", "Integration")]
public sealed class CaddyProxyFlowTests(CaddyFront front) : ProxyFlowSuite<CaddyFront>(front);

public sealed class GatewayProxyFlowTests(GatewayFront front) : ProxyFlowSuite<GatewayFront>(front);
