using System.Net;
using Portal.Tests.Support;

namespace Portal.Tests.ForwardAuth;

/// <summary>
/// The reference's situations (authelia-behaviour §1) asked of the portal in one proxy's request shape. Each subclass
/// is one shape: Traefik/Caddy <c>forward-auth</c>, nginx <c>auth-request</c>, and the legacy <c>/api/verify</c> in
/// both of its spellings; the expectations differ only where the reference says the shapes differ.
/// Rules (PortalTestHost.DefaultAccessControl): public = bypass, deny = deny, secure = two_factor, admin = one_factor
/// for admins and deny for dev, app.example.com/app.example.net = one_factor, default deny.
/// </summary>
public abstract class AuthzEndpointSuite : IClassFixture<AuthzMatrixFixture>
{
    private const string BasicChallenge = "Basic realm=\"Authorization Required\"";

    private protected AuthzEndpointSuite(AuthzMatrixFixture fixture) => Fixture = fixture;

    private protected AuthzMatrixFixture Fixture { get; }

    private protected PortalTestHost Host => Fixture.Host;

    /// <summary>Status for a target the portal cannot judge (insecure scheme, foreign domain, bad portal URL).</summary>
    private protected virtual int BadTargetStatus => 400;

    /// <summary>nginx's auth_request only understands 2xx/401/403, so "log in first" is always 401 + Location.</summary>
    private protected virtual bool AlwaysUnauthorized => false;

    private protected virtual string BasicHeader => "Authorization";

    private protected virtual string OtherBasicHeader => "Proxy-Authorization";

    private protected virtual int ChallengeStatus => 401;

    private protected virtual string ChallengeHeader => "WWW-Authenticate";

    /// <summary>Builds the proxy's call asking about <paramref name="url"/>; <paramref name="portalOverride"/> is the per-proxy portal URL.</summary>
    private protected abstract HttpRequestMessage BuildRequest(string url, string method, string? portalOverride);

    private protected async Task<HttpResponseMessage> SendAsync(string url, string method = "GET", string? cookie = null, string? accept = "text/html",
        Action<HttpRequestMessage>? tweak = null, string? portalOverride = null, HttpMethod? verb = null)
    {
        var request = BuildRequest(url, method, portalOverride);
        if (verb is not null)
        {
            request.Method = verb;
        }
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", $"authelia_session={cookie}");
        }
        tweak?.Invoke(request);
        return await Host.Client.SendAsync(request);
    }

    /// <summary>Splits an absolute URL the way a proxy would hand it over, without System.Uri's normalisation.</summary>
    private protected static (string Scheme, string Authority, string PathAndQuery) Split(string url)
    {
        var sep = url.IndexOf("://", StringComparison.Ordinal);
        var rest = url[(sep + 3)..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? (url[..sep], rest, "/") : (url[..sep], rest[..slash], rest[slash..]);
    }

    /// <summary>The cookie entry's authelia_url for the target's domain.</summary>
    private protected static string PortalFor(string url) =>
        Split(url).Authority.EndsWith("example.net", StringComparison.Ordinal) ? "https://auth.example.net/portal/" : "https://auth.example.com/";

    private static string ExpectedLocation(string url, string method, string? portal = null) =>
        $"{portal ?? PortalFor(url)}?rd={Uri.EscapeDataString(url)}&rm={method}";

    private string CookieOf(string user) => user switch
    {
        "john" => Fixture.John,
        "harry" => Fixture.Harry,
        "bob" => Fixture.Bob,
        _ => throw new ArgumentOutOfRangeException(nameof(user)),
    };

    private static void AssertNoRemoteHeaders(HttpResponseMessage response)
    {
        foreach (var name in new[] { "Remote-User", "Remote-Groups", "Remote-Name", "Remote-Email" })
        {
            Assert.Null(PortalTestHost.Header(response, name));
        }
    }

    // ---- anonymous ----

    [Theory]
    [InlineData("GET", "text/html", false, 302)]
    [InlineData("HEAD", "text/html", false, 302)]
    [InlineData("OPTIONS", "text/html", false, 302)]
    [InlineData("POST", "text/html", false, 303)]
    [InlineData("PUT", "text/html", false, 303)]
    [InlineData("DELETE", "text/html", false, 303)]
    [InlineData("PATCH", "text/html", false, 303)]
    [InlineData("GET", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", false, 302)]
    [InlineData("GET", "*/*", false, 302)]
    [InlineData("GET", "application/json", false, 401)]
    [InlineData("POST", "application/json", false, 401)]
    [InlineData("GET", "application/json, */*", false, 401)]
    [InlineData("GET", null, false, 401)]
    [InlineData("GET", "text/html", true, 401)]
    [InlineData("POST", "text/html", true, 401)]
    public async Task Anonymous_request_gets_the_status_its_method_and_accept_call_for_and_always_the_portal_location(
        string method, string? accept, bool xhr, int browserStatus)
    {
        const string url = "https://app.example.com/dashboard?tab=1";
        using var response = await SendAsync(url, method, accept: accept,
            tweak: xhr ? r => r.Headers.Add("X-Requested-With", "XMLHttpRequest") : null);

        Assert.Equal(AlwaysUnauthorized ? 401 : browserStatus, (int)response.StatusCode);
        Assert.Equal(ExpectedLocation(url, method), response.Headers.Location?.OriginalString);
        Assert.Null(PortalTestHost.Header(response, "WWW-Authenticate"));
        AssertNoRemoteHeaders(response);
    }

    [Fact]
    public async Task Portal_location_is_the_cookie_entrys_authelia_url_with_rd_and_rm_spelled_exactly()
    {
        using var com = await SendAsync("https://app.example.com/dashboard?tab=1");
        Assert.Equal("https://auth.example.com/?rd=https%3A%2F%2Fapp.example.com%2Fdashboard%3Ftab%3D1&rm=GET", com.Headers.Location?.OriginalString);

        using var net = await SendAsync("https://app.example.net/a%20b/c?x=1&y=%2F", "POST");
        Assert.Equal("https://auth.example.net/portal/?rd=https%3A%2F%2Fapp.example.net%2Fa%2520b%2Fc%3Fx%3D1%26y%3D%252F&rm=POST",
            net.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Redirect_body_links_to_the_portal_and_a_head_call_gets_the_same_headers_without_body()
    {
        const string url = "https://app.example.com/page";
        using var get = await SendAsync(url);
        var status = AlwaysUnauthorized ? "401 Unauthorized" : "302 Found";
        var location = ExpectedLocation(url, "GET");
        Assert.Equal($"<a href=\"{System.Text.Encodings.Web.HtmlEncoder.Default.Encode(location)}\">{status}</a>", await get.Content.ReadAsStringAsync());
        Assert.Equal("text/html", get.Content.Headers.ContentType?.MediaType);

        using var head = await SendAsync(url, verb: HttpMethod.Head);
        Assert.Equal(get.StatusCode, head.StatusCode);
        Assert.Equal(location, head.Headers.Location?.OriginalString);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    // ---- signed in ----

    [Theory]
    [InlineData("john", "admins,dev", "John Doe", "john@example.com")]
    [InlineData("harry", "dev", "Harry Potter", "harry@example.com")]
    [InlineData("bob", "", "Bob Dylan", "bob@example.com")]
    public async Task One_factor_user_on_a_one_factor_rule_is_let_through_with_remote_headers(string user, string groups, string name, string email)
    {
        using var response = await SendAsync("https://app.example.com/dashboard", cookie: CookieOf(user));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(user, PortalTestHost.Header(response, "Remote-User"));
        Assert.Equal(groups, PortalTestHost.Header(response, "Remote-Groups"));
        Assert.Equal(name, PortalTestHost.Header(response, "Remote-Name"));
        Assert.Equal(email, PortalTestHost.Header(response, "Remote-Email"));
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task Secure_websocket_target_is_judged_like_https()
    {
        using var response = await SendAsync("wss://app.example.com/socket", cookie: Fixture.John);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("john", PortalTestHost.Header(response, "Remote-User"));
    }

    [Theory]
    [InlineData("GET", 302)]
    [InlineData("HEAD", 302)]
    [InlineData("POST", 303)]
    public async Task Two_factor_rule_sends_a_one_factor_user_back_to_the_portal(string method, int browserStatus)
    {
        const string url = "https://secure.example.com/vault";
        using var response = await SendAsync(url, method, cookie: Fixture.John);

        Assert.Equal(AlwaysUnauthorized ? 401 : browserStatus, (int)response.StatusCode);
        Assert.Equal(ExpectedLocation(url, method), response.Headers.Location?.OriginalString);
        AssertNoRemoteHeaders(response);
    }

    [Fact]
    public async Task Two_factor_rule_lets_a_two_factor_session_through()
    {
        using var response = await SendAsync("https://secure.example.com/vault", cookie: Fixture.JohnTwoFactor);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("john", PortalTestHost.Header(response, "Remote-User"));
    }

    [Theory]
    [InlineData("harry", "https://admin.example.com/")] // the dev-group deny rule
    [InlineData("bob", "https://admin.example.com/")] // no rule for him: default_policy deny
    [InlineData("john", "https://deny.example.com/")]
    [InlineData("john", "https://elsewhere.example.com/")]
    public async Task Deny_for_a_known_user_is_403_without_redirect(string user, string url)
    {
        using var response = await SendAsync(url, cookie: CookieOf(user));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("403 Forbidden", await response.Content.ReadAsStringAsync());
        Assert.Null(response.Headers.Location);
        AssertNoRemoteHeaders(response);
    }

    [Fact]
    public async Task Anonymous_on_a_deny_rule_without_subject_is_403()
    {
        using var response = await SendAsync("https://deny.example.com/");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task Anonymous_who_might_match_a_subject_rule_is_asked_to_log_in_and_the_member_gets_in()
    {
        using var anonymous = await SendAsync("https://admin.example.com/");
        Assert.Equal(AlwaysUnauthorized ? 401 : 302, (int)anonymous.StatusCode);
        Assert.Equal(ExpectedLocation("https://admin.example.com/", "GET"), anonymous.Headers.Location?.OriginalString);

        using var admin = await SendAsync("https://admin.example.com/", cookie: Fixture.John);
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
    }

    [Fact]
    public async Task Bypass_lets_anyone_through_and_names_only_a_signed_in_user()
    {
        using var anonymous = await SendAsync("https://public.example.com/", "POST", accept: "application/json");
        Assert.Equal(HttpStatusCode.OK, anonymous.StatusCode);
        AssertNoRemoteHeaders(anonymous);

        using var john = await SendAsync("https://public.example.com/", cookie: Fixture.John);
        Assert.Equal(HttpStatusCode.OK, john.StatusCode);
        Assert.Equal("john", PortalTestHost.Header(john, "Remote-User"));
    }

    // ---- targets the portal refuses to judge ----

    [Theory]
    [InlineData("http://app.example.com/")]
    [InlineData("ws://app.example.com/socket")]
    [InlineData("ftp://app.example.com/")]
    [InlineData("https://app.example.org/")]
    [InlineData("https://evilexample.com/")]
    [InlineData("https://example.com.evil.com/")]
    [InlineData("https://localhost/")]
    public async Task Target_that_is_not_https_under_a_cookie_domain_is_refused_even_for_a_signed_in_user(string url)
    {
        using var response = await SendAsync(url, cookie: Fixture.John);

        Assert.Equal(BadTargetStatus, (int)response.StatusCode);
        Assert.Null(response.Headers.Location);
        AssertNoRemoteHeaders(response);
    }

    [Theory]
    [InlineData("https://login.example.com/sso/")]
    [InlineData("https://example.com/")]
    public async Task Portal_url_override_within_the_cookie_domain_is_where_the_user_is_sent(string portal)
    {
        const string url = "https://app.example.com/x";
        using var response = await SendAsync(url, portalOverride: portal);

        Assert.Equal(AlwaysUnauthorized ? 401 : 302, (int)response.StatusCode);
        Assert.Equal(ExpectedLocation(url, "GET", portal), response.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("https://auth.evil.com/")]
    [InlineData("https://auth.example.net/portal/")] // another cookie domain than the target's
    [InlineData("http://auth.example.com/")]
    [InlineData("https://user@auth.example.com/")]
    [InlineData("https://auth.example.com.evil.com/")]
    [InlineData("//auth.example.com/")]
    [InlineData("/login")]
    public async Task Portal_url_override_outside_the_cookie_domain_is_refused(string portal)
    {
        using var response = await SendAsync("https://app.example.com/x", portalOverride: portal);

        Assert.Equal(BadTargetStatus, (int)response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    // ---- basic credentials ----

    [Fact]
    public async Task Basic_credentials_prove_one_factor_only()
    {
        var basic = PortalTestHost.BasicAuth("john", PortalTestHost.Password);
        using var oneFactor = await SendAsync("https://app.example.com/", accept: "application/json",
            tweak: r => r.Headers.TryAddWithoutValidation(BasicHeader, basic));
        Assert.Equal(HttpStatusCode.OK, oneFactor.StatusCode);
        Assert.Equal("john", PortalTestHost.Header(oneFactor, "Remote-User"));
        Assert.Equal("admins,dev", PortalTestHost.Header(oneFactor, "Remote-Groups"));

        // A two_factor rule asks for the credentials again instead of redirecting to the portal.
        using var twoFactor = await SendAsync("https://secure.example.com/", tweak: r => r.Headers.TryAddWithoutValidation(BasicHeader, basic));
        Assert.Equal(ChallengeStatus, (int)twoFactor.StatusCode);
        Assert.Equal(BasicChallenge, PortalTestHost.Header(twoFactor, ChallengeHeader));
        Assert.Null(twoFactor.Headers.Location);
        AssertNoRemoteHeaders(twoFactor);
    }

    [Fact]
    [Trait("Category", "Integration")] // waits out the real 2 s basic-auth failure delay
    public async Task Wrong_basic_password_is_challenged_except_on_a_bypass_rule()
    {
        // Two failures for bob (below max_retries); sent together because each one waits out the 2 s failure delay.
        var wrong = PortalTestHost.BasicAuth("bob", "not-his-password");
        var protectedCall = SendAsync("https://app.example.com/", tweak: r => r.Headers.TryAddWithoutValidation(BasicHeader, wrong));
        var bypassCall = SendAsync("https://public.example.com/", tweak: r => r.Headers.TryAddWithoutValidation(BasicHeader, wrong));
        using var challenged = await protectedCall;
        using var bypass = await bypassCall;

        Assert.Equal(ChallengeStatus, (int)challenged.StatusCode);
        Assert.Equal(BasicChallenge, PortalTestHost.Header(challenged, ChallengeHeader));
        Assert.Null(challenged.Headers.Location);
        AssertNoRemoteHeaders(challenged);

        Assert.Equal(HttpStatusCode.OK, bypass.StatusCode);
        AssertNoRemoteHeaders(bypass);
    }

    [Fact]
    public async Task Verified_basic_credential_is_cached_instead_of_checked_again()
    {
        // Only this test uses harry's basic credentials, so the first call below is the one that verifies them.
        var basic = PortalTestHost.BasicAuth("harry", PortalTestHost.Password);
        var before = await Host.AttemptCountAsync("harry");
        for (var i = 0; i < 3; i++)
        {
            using var response = await SendAsync("https://app.example.com/", tweak: r => r.Headers.TryAddWithoutValidation(BasicHeader, basic));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("harry", PortalTestHost.Header(response, "Remote-User"));
        }
        Assert.Equal(before + 1, await Host.AttemptCountAsync("harry"));
    }

    [Fact]
    public async Task Basic_credentials_in_the_header_this_endpoint_does_not_read_are_ignored()
    {
        const string url = "https://app.example.com/";
        using var response = await SendAsync(url,
            tweak: r => r.Headers.TryAddWithoutValidation(OtherBasicHeader, PortalTestHost.BasicAuth("john", PortalTestHost.Password)));

        Assert.Equal(AlwaysUnauthorized ? 401 : 302, (int)response.StatusCode);
        Assert.Equal(ExpectedLocation(url, "GET"), response.Headers.Location?.OriginalString);
        AssertNoRemoteHeaders(response);
    }

    // ---- headers the client must not control ----

    [Fact]
    public async Task Identity_headers_sent_by_the_client_are_never_echoed_or_believed()
    {
        static void Spoof(HttpRequestMessage r)
        {
            r.Headers.Add("Remote-User", "admin");
            r.Headers.Add("Remote-Groups", "admins");
            r.Headers.Add("Remote-Name", "Admin");
            r.Headers.Add("Remote-Email", "admin@example.com");
            r.Headers.Add("Remote_User", "admin");
        }

        using var bypass = await SendAsync("https://public.example.com/", tweak: Spoof);
        Assert.Equal(HttpStatusCode.OK, bypass.StatusCode);
        AssertNoRemoteHeaders(bypass);

        using var anonymous = await SendAsync("https://app.example.com/", tweak: Spoof);
        Assert.NotEqual(HttpStatusCode.OK, anonymous.StatusCode);
        AssertNoRemoteHeaders(anonymous);

        using var bob = await SendAsync("https://app.example.com/", cookie: Fixture.Bob, tweak: Spoof);
        Assert.Equal(HttpStatusCode.OK, bob.StatusCode);
        Assert.Equal("bob", PortalTestHost.Header(bob, "Remote-User"));
        Assert.Equal("", PortalTestHost.Header(bob, "Remote-Groups"));
        Assert.Equal("Bob Dylan", PortalTestHost.Header(bob, "Remote-Name"));
        Assert.Equal("bob@example.com", PortalTestHost.Header(bob, "Remote-Email"));

        using var admin = await SendAsync("https://admin.example.com/", cookie: Fixture.Bob, tweak: Spoof);
        Assert.Equal(HttpStatusCode.Forbidden, admin.StatusCode);
    }

    [Fact]
    public async Task Session_username_header_naming_someone_else_ends_the_session()
    {
        var cookie = await Host.LoginAsync("bob");
        using var mismatch = await SendAsync("https://app.example.com/", cookie: cookie, tweak: r => r.Headers.Add("Session-Username", "john"));
        Assert.NotEqual(HttpStatusCode.OK, mismatch.StatusCode);
        Assert.True(AuthzTestSupport.ExpiresCookie(mismatch));

        using var after = await SendAsync("https://app.example.com/", cookie: cookie, tweak: r => r.Headers.Add("Session-Username", "bob"));
        Assert.NotEqual(HttpStatusCode.OK, after.StatusCode);
    }
}

/// <summary>Traefik and Caddy: <c>/api/authz/forward-auth</c> with <c>X-Forwarded-Proto/Host/Uri/Method</c>.</summary>
public sealed class ForwardAuthEndpointTests(AuthzMatrixFixture fixture) : AuthzEndpointSuite(fixture)
{
    private protected override HttpRequestMessage BuildRequest(string url, string method, string? portalOverride)
    {
        var (scheme, authority, pathAndQuery) = Split(url);
        var query = portalOverride is null ? "" : "?authelia_url=" + Uri.EscapeDataString(portalOverride);
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/authz/forward-auth" + query);
        request.Headers.Add("X-Forwarded-Proto", scheme);
        request.Headers.Add("X-Forwarded-Host", authority);
        request.Headers.TryAddWithoutValidation("X-Forwarded-Uri", pathAndQuery);
        request.Headers.Add("X-Forwarded-Method", method);
        return request;
    }
}

/// <summary>nginx: <c>/api/authz/auth-request</c> with <c>X-Original-URL</c> and <c>X-Original-Method</c>.</summary>
public sealed class AuthRequestEndpointTests(AuthzMatrixFixture fixture) : AuthzEndpointSuite(fixture)
{
    private protected override bool AlwaysUnauthorized => true;

    private protected override HttpRequestMessage BuildRequest(string url, string method, string? portalOverride)
    {
        var query = portalOverride is null ? "" : "?authelia_url=" + Uri.EscapeDataString(portalOverride);
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/authz/auth-request" + query);
        request.Headers.TryAddWithoutValidation("X-Original-URL", url);
        request.Headers.Add("X-Original-Method", method);
        return request;
    }
}

/// <summary>
/// Legacy <c>/api/verify</c> as Traefik used it: <c>X-Forwarded-*</c>, the portal in <c>rd</c>, basic credentials in
/// <c>Proxy-Authorization</c> (Authelia's HeaderLegacy: a 401 challenge), and 401 instead of 400 for targets it cannot judge.
/// </summary>
public sealed class LegacyVerifyForwardedTests(AuthzMatrixFixture fixture) : AuthzEndpointSuite(fixture)
{
    private protected override int BadTargetStatus => 401;

    private protected override string BasicHeader => "Proxy-Authorization";

    private protected override string OtherBasicHeader => "Authorization";

    private protected override HttpRequestMessage BuildRequest(string url, string method, string? portalOverride)
    {
        var (scheme, authority, pathAndQuery) = Split(url);
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/verify?rd=" + Uri.EscapeDataString(portalOverride ?? PortalFor(url)));
        request.Headers.Add("X-Forwarded-Proto", scheme);
        request.Headers.Add("X-Forwarded-Host", authority);
        request.Headers.TryAddWithoutValidation("X-Forwarded-Uri", pathAndQuery);
        request.Headers.Add("X-Forwarded-Method", method);
        return request;
    }
}

/// <summary>Legacy <c>/api/verify</c> as nginx used it: <c>X-Original-URL</c>, the method in <c>X-Forwarded-Method</c>.</summary>
public sealed class LegacyVerifyOriginalUrlTests(AuthzMatrixFixture fixture) : AuthzEndpointSuite(fixture)
{
    private protected override int BadTargetStatus => 401;

    private protected override string BasicHeader => "Proxy-Authorization";

    private protected override string OtherBasicHeader => "Authorization";

    private protected override HttpRequestMessage BuildRequest(string url, string method, string? portalOverride)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/verify?rd=" + Uri.EscapeDataString(portalOverride ?? PortalFor(url)));
        request.Headers.TryAddWithoutValidation("X-Original-URL", url);
        request.Headers.Add("X-Forwarded-Method", method);
        return request;
    }
}
