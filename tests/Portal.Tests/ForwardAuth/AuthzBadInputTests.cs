using System.Net;
using Portal.Tests.Support;

namespace Portal.Tests.ForwardAuth;

/// <summary>A portal with path, host and network rules for the bad-input list, and a one-factor john.</summary>
public sealed class BadInputFixture : IAsyncLifetime
{
    public const string AccessControl = """
        access_control:
          default_policy: deny
          rules:
            - domain: 'app.example.com'
              resources: ['^/public/.*$']
              policy: bypass
            - domain: 'app.example.com'
              resources: ['^/admin([/?].*)?$']
              policy: two_factor
            - domain: 'app.example.com'
              policy: one_factor
            - domain: 'secure.example.com'
              policy: two_factor
            - domain: '*.b.example.com'
              policy: two_factor
            - domain: 'internal.example.com'
              networks: ['192.0.2.0/24']
              policy: bypass
            - domain: '*.example.com'
              policy: one_factor
        """;

    internal PortalTestHost Host { get; private set; } = null!;

    internal string John { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Host = await PortalTestHost.StartAsync(accessControl: AccessControl);
        John = await Host.LoginAsync("john");
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>
/// peers-and-security §4b.2, §4b.4, §4b.5, §4b.8 through the authz endpoints: every spelling of a target that a
/// stricter rule covers gets that rule (a redirect to the portal for one-factor john) or a refusal, never a 200.
/// </summary>
public sealed class AuthzBadInputTests(BadInputFixture fixture) : IClassFixture<BadInputFixture>
{
    private PortalTestHost Host => fixture.Host;

    private Task<HttpResponseMessage> ForwardAsync(string host, string uri, string method = "GET", string? cookie = null, Action<HttpRequestMessage>? tweak = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/authz/forward-auth");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Proto", "https");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Host", host);
        request.Headers.TryAddWithoutValidation("X-Forwarded-Uri", uri);
        request.Headers.TryAddWithoutValidation("X-Forwarded-Method", method);
        request.Headers.TryAddWithoutValidation("Accept", "text/html");
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", $"authelia_session={cookie}");
        }
        tweak?.Invoke(request);
        return Host.Client.SendAsync(request);
    }

    private Task<HttpResponseMessage> OriginalAsync(string url, string method = "GET", string? cookie = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/authz/auth-request");
        request.Headers.TryAddWithoutValidation("X-Original-URL", url);
        request.Headers.TryAddWithoutValidation("X-Original-Method", method);
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", $"authelia_session={cookie}");
        }
        return Host.Client.SendAsync(request);
    }

    // ---- controls: the rules discriminate, so the refusals below mean something ----

    [Fact]
    public async Task Controls_public_path_is_bypassed_other_paths_need_one_factor_admin_needs_two()
    {
        using var publicPath = await ForwardAsync("app.example.com", "/public/x?next=/admin");
        Assert.Equal(HttpStatusCode.OK, publicPath.StatusCode);
        using var other = await ForwardAsync("app.example.com", "/other", cookie: fixture.John);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        using var admin = await ForwardAsync("app.example.com", "/admin", cookie: fixture.John);
        Assert.Equal(HttpStatusCode.Found, admin.StatusCode);
        using var sibling = await ForwardAsync("other.example.com", "/", cookie: fixture.John);
        Assert.Equal(HttpStatusCode.OK, sibling.StatusCode);
    }

    // ---- §4b.4 path canonicalization ----

    [Theory]
    [InlineData("/admin/")]
    [InlineData("/admin/x")]
    [InlineData("//admin")]
    [InlineData("/./admin")]
    [InlineData("/public/../admin")]
    [InlineData("/public/x/../../admin")]
    [InlineData("/public/%2e%2e/admin")]
    [InlineData("/public/%2E%2E/admin")]
    [InlineData("/public/.%2e/admin")]
    [InlineData("/public/%2e./admin")]
    [InlineData("/public/..%2fadmin")]
    [InlineData("/public/..%2Fadmin")]
    [InlineData("/public%2f..%2fadmin")]
    [InlineData("/public/..;/admin")]
    [InlineData("/public/..\\admin")]
    [InlineData("/public/%5c..%5cadmin")]
    [InlineData("/public//../admin")]
    [InlineData("/%61dmin")]
    [InlineData("/admin;jsessionid=1")]
    [InlineData("/admin?x=/public/")]
    [InlineData("/public/../admin?next=/public/x")]
    [InlineData("/admin%2f")]
    public async Task Path_spelling_of_the_two_factor_area_gets_the_two_factor_rule(string uri)
    {
        using var john = await ForwardAsync("app.example.com", uri, cookie: fixture.John);
        Assert.Equal(HttpStatusCode.Found, john.StatusCode);
        Assert.StartsWith("https://auth.example.com/?rd=", john.Headers.Location?.OriginalString, StringComparison.Ordinal);

        using var anonymous = await ForwardAsync("app.example.com", uri);
        Assert.Equal(HttpStatusCode.Found, anonymous.StatusCode);

        using var nginx = await OriginalAsync("https://app.example.com" + uri, cookie: fixture.John);
        Assert.Equal(HttpStatusCode.Unauthorized, nginx.StatusCode);
        Assert.NotNull(nginx.Headers.Location);
    }

    [Theory]
    [InlineData("/admin#/public/")]
    [InlineData("/public#/../admin")]
    [InlineData("/x#")]
    public async Task A_request_target_with_a_hash_is_refused_rather_than_cut_at_it(string uri)
    {
        // Browsers never send a fragment; an app may read '#' as part of the path while the rules would cut it.
        using var forward = await ForwardAsync("app.example.com", uri, cookie: fixture.John);
        Assert.Equal(HttpStatusCode.BadRequest, forward.StatusCode);
        using var nginx = await OriginalAsync("https://app.example.com" + uri, cookie: fixture.John);
        Assert.Equal(HttpStatusCode.BadRequest, nginx.StatusCode);
    }

    [Theory]
    [InlineData("/admin%00")]
    [InlineData("/admin%zz")]
    [InlineData("/public/%ff/../admin")]
    [InlineData("admin")]
    [InlineData("/ad min")]
    public async Task Malformed_path_is_refused(string uri)
    {
        using var forward = await ForwardAsync("app.example.com", uri, cookie: fixture.John);
        Assert.Equal(HttpStatusCode.BadRequest, forward.StatusCode);
        Assert.Null(forward.Headers.Location);
    }

    // ---- §4b.4 host canonicalization ----

    [Theory]
    [InlineData("SECURE.EXAMPLE.COM")]
    [InlineData("Secure.Example.Com.")]
    [InlineData("secure.example.com:443")]
    [InlineData("secure.example.com:8443")]
    [InlineData("secure.example.com.:8443")]
    [InlineData("secure.example.com:")]
    [InlineData("a.B.example.com")]
    [InlineData("A.B.EXAMPLE.COM.")]
    [InlineData("x.a.b.example.com")]
    public async Task Host_spelling_of_a_two_factor_host_gets_the_two_factor_rule(string host)
    {
        using var john = await ForwardAsync(host, "/", cookie: fixture.John);
        Assert.Equal(HttpStatusCode.Found, john.StatusCode);

        using var nginx = await OriginalAsync($"https://{host}/", cookie: fixture.John);
        Assert.Equal(HttpStatusCode.Unauthorized, nginx.StatusCode);
        Assert.NotNull(nginx.Headers.Location);
    }

    [Theory]
    [InlineData("secure.example.com/..")]
    [InlineData("other.example.com@secure.example.com")]
    [InlineData("secure.example.com\\")]
    [InlineData("other.example.com#.secure.example.com")]
    [InlineData("other.example.com?.secure.example.com")]
    [InlineData("other.example.com, secure.example.com")]
    [InlineData("other.example.com,secure.example.com")]
    [InlineData("other.example.com secure.example.com")]
    [InlineData("secure.example.com:99999")]
    [InlineData("secure.example.com:-1")]
    [InlineData("secure.example.com:443:443")]
    [InlineData("secure.example.com%2f")]
    [InlineData("secure..example.com")]
    [InlineData(".secure.example.com")]
    [InlineData("secure.example.com..")]
    [InlineData("[::1")]
    [InlineData("")]
    public async Task Forwarded_host_that_is_not_a_plain_authority_is_refused(string host)
    {
        using var response = await ForwardAsync(host, "/", cookie: fixture.John);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Theory]
    [InlineData("https://other.example.com@secure.example.com/")]
    [InlineData("https://secure.example.com%2F@other.example.com/")]
    [InlineData("https://other.example.com:443@secure.example.com/")]
    [InlineData("https://secure.example.com\\@other.example.com/")]
    [InlineData("https:/secure.example.com/")]
    [InlineData("https:secure.example.com/")]
    [InlineData("//secure.example.com/")]
    [InlineData("/admin")]
    [InlineData("secure.example.com/admin")]
    [InlineData("https://app.example.com/ad min")]
    [InlineData("https://app.example.com/admin%zz")]
    [InlineData("https://")]
    [InlineData("")]
    public async Task Malformed_original_url_is_refused(string url)
    {
        // CVE-2021-32637: a malformed X-Original-URL must never fall through to "allowed".
        using var response = await OriginalAsync(url, cookie: fixture.John);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Theory]
    [InlineData("xn--zz.example.com")]
    [InlineData("xn--.example.com")]
    [InlineData("xn--a.xn--zz")]
    [InlineData("XN--ZZ.example.com")]
    public async Task Target_host_that_is_not_valid_punycode_is_refused_by_every_authz_endpoint(string host)
    {
        using var forward = await ForwardAsync(host, "/", cookie: fixture.John);
        Assert.Equal(HttpStatusCode.BadRequest, forward.StatusCode);
        Assert.Equal("400 Bad Request", await forward.Content.ReadAsStringAsync());

        using var original = await OriginalAsync($"https://{host}/", cookie: fixture.John);
        Assert.Equal(HttpStatusCode.BadRequest, original.StatusCode);
        Assert.Null(original.Headers.Location);

        // /api/verify answers a target it cannot use with Authelia's 401, never with a redirect to it.
        using var legacy = new HttpRequestMessage(HttpMethod.Get, $"/api/verify?rd={Uri.EscapeDataString("https://auth.example.com/")}");
        legacy.Headers.TryAddWithoutValidation("X-Original-URL", $"https://{host}/");
        using var verify = await Host.Client.SendAsync(legacy);
        Assert.Equal(HttpStatusCode.Unauthorized, verify.StatusCode);
        Assert.Null(verify.Headers.Location);
    }

    [Theory]
    [InlineData("/api/authz/forward-auth")]
    [InlineData("/api/authz/auth-request")]
    [InlineData("/api/verify")]
    [InlineData("/api/state")]
    [InlineData("/api/health")]
    [InlineData("/")]
    [InlineData("/settings")]
    public async Task Host_header_that_is_not_valid_punycode_gets_a_400_not_a_500(string path)
    {
        foreach (var host in new[] { "xn--zz.example.com", "xn--", "xn--a.xn--zz", "XN--ZZ.example.com:443" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Host = host;
            request.Headers.TryAddWithoutValidation("X-Original-URL", "https://app.example.com/");
            request.Headers.TryAddWithoutValidation("X-Original-Method", "GET");
            using var response = await Host.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("""{"status":"KO","message":"The Host header is not a valid host name."}""", await response.Content.ReadAsStringAsync());
            Assert.Equal("nosniff", PortalTestHost.Header(response, "X-Content-Type-Options"));
        }
    }

    // ---- §4b.2 duplicates, case and underscore variants ----

    public static TheoryData<string, string[]> DuplicateHeaders => new()
    {
        { "/api/authz/forward-auth", ["X-Forwarded-Proto: https", "X-Forwarded-Host: other.example.com", "X-Forwarded-Host: secure.example.com", "X-Forwarded-Uri: /", "X-Forwarded-Method: GET"] },
        { "/api/authz/forward-auth", ["X-Forwarded-Proto: https", "X-Forwarded-Host: app.example.com", "X-Forwarded-Uri: /public/x", "X-Forwarded-Uri: /admin", "X-Forwarded-Method: GET"] },
        { "/api/authz/forward-auth", ["X-Forwarded-Proto: https", "X-Forwarded-Proto: http", "X-Forwarded-Host: app.example.com", "X-Forwarded-Uri: /admin", "X-Forwarded-Method: GET"] },
        { "/api/authz/forward-auth", ["X-Forwarded-Proto: https", "X-Forwarded-Host: app.example.com", "X-Forwarded-Uri: /admin", "X-Forwarded-Method: GET", "X-Forwarded-Method: OPTIONS"] },
        { "/api/authz/auth-request", ["X-Original-URL: https://app.example.com/public/x", "X-Original-URL: https://app.example.com/admin", "X-Original-Method: GET"] },
        { "/api/authz/auth-request", ["X-Original-URL: https://app.example.com/admin", "X-Original-Method: GET", "X-Original-Method: HEAD"] },
        { "/api/verify?rd=https%3A%2F%2Fauth.example.com%2F", ["X-Original-URL: https://app.example.com/public/x", "X-Original-URL: https://app.example.com/admin"] },
    };

    [Theory]
    [MemberData(nameof(DuplicateHeaders))]
    public async Task Target_header_sent_twice_is_refused_rather_than_picked(string path, string[] headers)
    {
        var status = await Host.SendRawAsync(path, [.. headers, $"Cookie: authelia_session={fixture.John}"]);
        Assert.Equal(path.StartsWith("/api/verify", StringComparison.Ordinal) ? 401 : 400, status);
    }

    [Fact]
    public async Task Header_names_are_case_insensitive_so_a_lower_case_target_is_judged_the_same()
    {
        var status = await Host.SendRawAsync("/api/authz/forward-auth",
            "x-forwarded-proto: https", "x-forwarded-host: secure.example.com", "x-forwarded-uri: /", "x-forwarded-method: GET",
            "accept: text/html", $"cookie: authelia_session={fixture.John}");
        Assert.Equal(302, status);
    }

    [Fact]
    public async Task Underscore_variants_of_forwarded_headers_are_ignored()
    {
        using var host = await ForwardAsync("secure.example.com", "/", cookie: fixture.John, tweak: r => r.Headers.Add("X_Forwarded_Host", "other.example.com"));
        Assert.Equal(HttpStatusCode.Found, host.StatusCode);

        using var uri = await ForwardAsync("app.example.com", "/admin", cookie: fixture.John, tweak: r => r.Headers.Add("X_Forwarded_Uri", "/public/x"));
        Assert.Equal(HttpStatusCode.Found, uri.StatusCode);

        // Without the real header there is no target at all.
        var status = await Host.SendRawAsync("/api/authz/forward-auth",
            "X-Forwarded-Proto: https", "X_Forwarded_Host: other.example.com", "X-Forwarded-Uri: /", "X-Forwarded-Method: GET");
        Assert.Equal(400, status);
    }

    [Fact]
    public async Task Connection_header_naming_forwarded_headers_does_not_make_the_portal_drop_them()
    {
        // CVE-2024-45410 is a proxy-side strip; the portal must still judge the target the proxy sent, not a default.
        var status = await Host.SendRawAsync("/api/authz/forward-auth",
            "Connection: X-Forwarded-Host, X-Forwarded-Uri, X-Forwarded-For", "X-Forwarded-Proto: https", "X-Forwarded-Host: app.example.com",
            "X-Forwarded-Uri: /admin", "X-Forwarded-Method: GET", "Accept: text/html", $"Cookie: authelia_session={fixture.John}");
        Assert.Equal(302, status);
    }

    // ---- §4b.8 methods ----

    [Theory]
    [InlineData("get")]
    [InlineData("Get")]
    [InlineData("GE T")]
    [InlineData("GET,POST")]
    [InlineData("G3T")]
    [InlineData("")]
    public async Task Method_that_is_not_upper_case_letters_is_refused(string method)
    {
        using var response = await ForwardAsync("app.example.com", "/public/x", method);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("HEAD", HttpStatusCode.Found)]
    [InlineData("OPTIONS", HttpStatusCode.Found)]
    [InlineData("TRACE", HttpStatusCode.SeeOther)]
    [InlineData("PROPFIND", HttpStatusCode.SeeOther)]
    public async Task No_method_skips_the_rules(string method, HttpStatusCode redirect)
    {
        using var response = await ForwardAsync("app.example.com", "/admin", method, cookie: fixture.John);
        Assert.Equal(redirect, response.StatusCode);
    }

    [Fact]
    public async Task A_health_check_user_agent_or_path_grants_nothing()
    {
        using var response = await ForwardAsync("app.example.com", "/health", tweak: r => r.Headers.Add("User-Agent", "kube-probe/1.30"));
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
    }

    // ---- §4b.2 client address ----

    [Fact]
    public async Task Client_address_comes_from_x_forwarded_for_written_by_the_trusted_proxy()
    {
        using var response = await ForwardAsync("internal.example.com", "/", tweak: r => r.Headers.Add("X-Forwarded-For", "192.0.2.7"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("X-Forwarded-For", "192.0.2.7, 203.0.113.9")] // the left entry was written by the client
    [InlineData("X-Forwarded-For", "192.0.2.7, garbage, 203.0.113.9")]
    [InlineData("X-Real-IP", "192.0.2.7")]
    [InlineData("X_Forwarded_For", "192.0.2.7")]
    [InlineData("Forwarded", "for=192.0.2.7")]
    [InlineData("True-Client-IP", "192.0.2.7")]
    public async Task Client_address_claims_the_proxy_did_not_make_do_not_match_a_network_rule(string header, string value)
    {
        using var response = await ForwardAsync("internal.example.com", "/", tweak: r => r.Headers.TryAddWithoutValidation(header, value));
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
    }

    // ---- §4b.5 cookies ----

    public static TheoryData<string> BadCookieHeaders()
    {
        var data = new TheoryData<string>
        {
            "authelia_session=abc",
            "authelia_session=../../etc/passwd",
            "authelia_session=" + new string('a', 43),
            "authelia_session=" + Portal.Session.SessionIds.New(),
            "authelia_session=" + new string('x', 5000),
            "authelia_session=",
        };
        return data;
    }

    [Theory]
    [MemberData(nameof(BadCookieHeaders))]
    public async Task Garbage_unknown_or_oversized_session_cookie_is_anonymous_and_cleared(string cookieHeader)
    {
        using var response = await ForwardAsync("app.example.com", "/x", tweak: r => r.Headers.TryAddWithoutValidation("Cookie", cookieHeader));
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Null(PortalTestHost.Header(response, "Remote-User"));
        Assert.True(AuthzTestSupport.ExpiresCookie(response), "the rejected cookie should be cleared");
    }

    [Fact]
    public async Task Two_session_cookies_are_refused_even_when_one_is_valid()
    {
        var other = Portal.Session.SessionIds.New();
        using var response = await ForwardAsync("app.example.com", "/x",
            tweak: r => r.Headers.TryAddWithoutValidation("Cookie", $"authelia_session={other}; authelia_session={fixture.John}"));
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Null(PortalTestHost.Header(response, "Remote-User"));

        using var still = await ForwardAsync("app.example.com", "/x", cookie: fixture.John);
        Assert.Equal(HttpStatusCode.OK, still.StatusCode);
    }
}
