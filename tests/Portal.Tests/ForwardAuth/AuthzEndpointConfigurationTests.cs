using System.Net;
using Portal.Configuration;
using Portal.Tests.Support;

namespace Portal.Tests.ForwardAuth;

/// <summary>
/// Authelia's <c>server.endpoints.authz</c>: named endpoints with an implementation and ordered authn strategies,
/// and the answers Authelia gives that the default endpoints must match exactly (authelia-behaviour §1).
/// </summary>
public sealed class AuthzEndpointConfigurationTests
{
    private static HttpRequestMessage Forward(string path, string host, string? uri, string method = "GET")
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", host);
        if (uri is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Forwarded-Uri", uri);
        }
        request.Headers.Add("X-Forwarded-Method", method);
        request.Headers.Add("Accept", "text/html");
        return request;
    }

    [Fact]
    public async Task Forward_auth_without_a_forwarded_uri_redirects_with_rd_naming_the_host_without_a_trailing_slash()
    {
        await using var host = await PortalTestHost.StartAsync();
        using var response = await host.Client.SendAsync(Forward("/api/authz/forward-auth", "app.example.com", uri: null));
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("https://auth.example.com/?rd=https%3A%2F%2Fapp.example.com&rm=GET", response.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("HEAD", "GET")]
    [InlineData("GET", "HEAD")]
    [InlineData("HEAD", "HEAD")]
    public async Task A_head_request_gets_no_body_whether_the_proxy_or_the_client_sent_head(string startLine, string forwarded)
    {
        await using var host = await PortalTestHost.StartAsync();
        using var request = Forward("/api/authz/forward-auth", "app.example.com", "/x", forwarded);
        request.Method = new HttpMethod(startLine);
        using var response = await host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());

        using var get = await host.Client.SendAsync(Forward("/api/authz/forward-auth", "app.example.com", "/x"));
        Assert.NotEmpty(await get.Content.ReadAsStringAsync());
    }

    private const string Custom = """
        server:
          endpoints:
            authz:
              proxy-basic:
                implementation: 'ForwardAuth'
                authn_strategies:
                  - name: 'HeaderProxyAuthorization'
                  - name: 'CookieSession'
              nginx-proxy:
                implementation: 'AuthRequest'
                authn_strategies:
                  - name: 'HeaderAuthRequestProxyAuthorization'
              cookie-first:
                implementation: 'ForwardAuth'
                authn_strategies:
                  - name: 'CookieSession'
                  - name: 'HeaderAuthorization'
        """;

    [Fact]
    public async Task Configured_endpoints_replace_the_defaults_and_live_under_api_authz()
    {
        await using var host = await PortalTestHost.StartAsync(Custom);
        using var gone = await host.Client.SendAsync(Forward("/api/authz/forward-auth", "app.example.com", "/"));
        Assert.False(gone.Headers.Contains("Portal-Authz-Decision"), "the default forward-auth endpoint must not be served");
        using var custom = await host.Client.SendAsync(Forward("/api/authz/proxy-basic", "app.example.com", "/"));
        Assert.Equal(HttpStatusCode.Found, custom.StatusCode);
        Assert.Equal(["proxy-basic"], custom.Headers.GetValues("Portal-Authz-Decision"));
    }

    [Fact]
    [Trait("Category", "Integration")] // waits out the real 2 s basic-auth failure delay
    public async Task Header_proxy_authorization_reads_proxy_authorization_and_challenges_with_407()
    {
        await using var host = await PortalTestHost.StartAsync(Custom);
        using var good = Forward("/api/authz/proxy-basic", "app.example.com", "/");
        good.Headers.TryAddWithoutValidation("Proxy-Authorization", PortalTestHost.BasicAuth("john", PortalTestHost.Password));
        using (var ok = await host.Client.SendAsync(good))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal("john", PortalTestHost.Header(ok, "Remote-User"));
        }
        using var bad = Forward("/api/authz/proxy-basic", "app.example.com", "/");
        bad.Headers.TryAddWithoutValidation("Proxy-Authorization", PortalTestHost.BasicAuth("john", "wrong"));
        using var challenged = await host.Client.SendAsync(bad);
        Assert.Equal(HttpStatusCode.ProxyAuthenticationRequired, challenged.StatusCode);
        Assert.Equal("Basic realm=\"Authorization Required\"", PortalTestHost.Header(challenged, "Proxy-Authenticate"));
    }

    [Fact]
    [Trait("Category", "Integration")] // waits out the real 2 s basic-auth failure delay
    public async Task Header_auth_request_proxy_authorization_reads_proxy_authorization_and_challenges_with_401()
    {
        await using var host = await PortalTestHost.StartAsync(Custom);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/authz/nginx-proxy");
        request.Headers.Add("X-Original-URL", "https://app.example.com/");
        request.Headers.Add("X-Original-Method", "GET");
        request.Headers.TryAddWithoutValidation("Proxy-Authorization", PortalTestHost.BasicAuth("john", "wrong"));
        using var challenged = await host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, challenged.StatusCode);
        Assert.Equal("Basic realm=\"Authorization Required\"", PortalTestHost.Header(challenged, "WWW-Authenticate"));
    }

    [Fact]
    [Trait("Category", "Integration")] // waits out the real 2 s basic-auth failure delay
    public async Task A_present_but_invalid_header_answers_its_strategys_failure_and_no_later_strategy_runs()
    {
        await using var host = await PortalTestHost.StartAsync(Custom);
        var john = await host.LoginAsync("john");
        using var request = Forward("/api/authz/proxy-basic", "app.example.com", "/");
        request.Headers.TryAddWithoutValidation("Proxy-Authorization", PortalTestHost.BasicAuth("john", "wrong"));
        request.Headers.Add("Cookie", $"authelia_session={john}");
        using var response = await host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.ProxyAuthenticationRequired, response.StatusCode);
        Assert.Null(PortalTestHost.Header(response, "Remote-User"));
    }

    [Fact]
    public async Task An_absent_header_hands_over_to_the_next_strategy_in_order()
    {
        await using var host = await PortalTestHost.StartAsync(Custom);
        var john = await host.LoginAsync("john");
        using var byCookie = Forward("/api/authz/proxy-basic", "app.example.com", "/");
        byCookie.Headers.Add("Cookie", $"authelia_session={john}");
        using (var response = await host.Client.SendAsync(byCookie))
        {
            Assert.Equal("john", PortalTestHost.Header(response, "Remote-User"));
        }
        // Cookie first: a valid session wins before the Authorization header is even read.
        using var cookieFirst = Forward("/api/authz/cookie-first", "app.example.com", "/");
        cookieFirst.Headers.Add("Cookie", $"authelia_session={john}");
        cookieFirst.Headers.TryAddWithoutValidation("Authorization", PortalTestHost.BasicAuth("harry", PortalTestHost.Password));
        using var first = await host.Client.SendAsync(cookieFirst);
        Assert.Equal("john", PortalTestHost.Header(first, "Remote-User"));
    }

    [Fact]
    [Trait("Category", "Integration")] // waits out the real 2 s basic-auth failure delay
    public async Task Legacy_verify_challenges_a_wrong_proxy_authorization_with_401_and_www_authenticate_as_authelia_does()
    {
        await using var host = await PortalTestHost.StartAsync();
        using var request = Forward("/api/verify?rd=https%3A%2F%2Fauth.example.com%2F", "app.example.com", "/");
        request.Headers.TryAddWithoutValidation("Proxy-Authorization", PortalTestHost.BasicAuth("john", "wrong"));
        using var response = await host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Basic realm=\"Authorization Required\"", PortalTestHost.Header(response, "WWW-Authenticate"));
        Assert.Null(PortalTestHost.Header(response, "Proxy-Authenticate"));
    }

    [Fact]
    public async Task Without_a_cache_lifespan_every_basic_credential_is_checked_again()
    {
        await using var host = await PortalTestHost.StartAsync();
        var before = await host.AttemptCountAsync("harry");
        for (var i = 0; i < 3; i++)
        {
            using var request = Forward("/api/authz/forward-auth", "app.example.com", "/");
            request.Headers.TryAddWithoutValidation("Authorization", PortalTestHost.BasicAuth("harry", PortalTestHost.Password));
            using var response = await host.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        Assert.Equal(before + 3, await host.AttemptCountAsync("harry"));
    }

    private const string NoPortalUrl = """
        session:
          cookies:
            - domain: example.org
        """;

    [Fact]
    public async Task A_cookie_domain_without_authelia_url_needs_the_portal_url_from_the_caller()
    {
        await using var host = await PortalTestHost.StartAsync(NoPortalUrl, accessControl: """
            access_control:
              default_policy: one_factor
            """);
        using (var missing = await host.Client.SendAsync(Forward("/api/authz/forward-auth", "app.example.org", "/")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        }
        using (var given = await host.Client.SendAsync(Forward("/api/authz/forward-auth?authelia_url=https%3A%2F%2Fauth.example.org%2F", "app.example.org", "/")))
        {
            Assert.Equal(HttpStatusCode.Found, given.StatusCode);
            Assert.StartsWith("https://auth.example.org/?rd=", given.Headers.Location?.OriginalString, StringComparison.Ordinal);
        }
        using var legacy = await host.Client.SendAsync(Forward("/api/verify", "app.example.org", "/"));
        Assert.Equal(HttpStatusCode.Unauthorized, legacy.StatusCode);
        Assert.Null(legacy.Headers.Location);
    }

    [Theory]
    [InlineData("x:\n        implementation: 'Bogus'", "server: endpoints: authz: x: option 'implementation' must be one of 'ForwardAuth', 'AuthRequest', 'Legacy' but it's configured as 'Bogus'")]
    [InlineData("x:\n        implementation: 'ExtAuthz'", "server: endpoints: authz: x: option 'implementation' 'ExtAuthz' (Envoy) is not supported by Portal")]
    [InlineData("legacy:\n        implementation: 'ForwardAuth'", "server: endpoints: authz: legacy: option 'implementation' must be 'Legacy'")]
    [InlineData("x:\n        implementation: 'ForwardAuth'\n        authn_strategies:\n          - name: 'HeaderLegacy'", "server: endpoints: authz: x: authn_strategies[0]: option 'name' 'HeaderLegacy' is only available to the 'Legacy' implementation")]
    [InlineData("x:\n        implementation: 'Legacy'\n        authn_strategies:\n          - name: 'HeaderAuthorization'", "server: endpoints: authz: x: authn_strategies[0]: option 'name' 'HeaderAuthorization' is not available to the 'Legacy' implementation")]
    [InlineData("x:\n        implementation: 'ForwardAuth'\n        authn_strategies:\n          - name: 'Cookie'", "server: endpoints: authz: x: authn_strategies[0]: option 'name' must be one of")]
    [InlineData("x:\n        implementation: 'ForwardAuth'\n        authn_strategies:\n          - name: 'CookieSession'\n          - name: 'CookieSession'", "server: endpoints: authz: x: authn_strategies[1]: option 'name' 'CookieSession' is listed more than once")]
    [InlineData("x:\n        implementation: 'ForwardAuth'\n        authn_strategies:\n          - name: 'HeaderAuthorization'\n            schemes: ['bearer']", "server: endpoints: authz: x: authn_strategies[0]: schemes[0]: 'bearer' is not supported by Portal")]
    [InlineData("x:\n        implementation: 'ForwardAuth'\n        authn_strategies:\n          - name: 'CookieSession'\n            scheme_basic_cache_lifespan: '1m'", "server: endpoints: authz: x: authn_strategies[0]: option 'scheme_basic_cache_lifespan' does not apply to 'CookieSession'")]
    [InlineData("Bad/Name:\n        implementation: 'ForwardAuth'", "server: endpoints: authz: endpoint name 'Bad/Name' must be lower-case letters")]
    public void Endpoint_mistakes_are_reported_with_their_yaml_path(string entry, string expected)
    {
        using var dir = new TempDirectory();
        var file = dir.Write("config.yml", $"server:\n  endpoints:\n    authz:\n      {entry}\n");
        var loaded = ConfigLoader.Load([file], new Dictionary<string, string>());
        Assert.Contains(loaded.Diagnostics.Errors, e => e.ToString().StartsWith(expected, StringComparison.Ordinal));
    }
}
