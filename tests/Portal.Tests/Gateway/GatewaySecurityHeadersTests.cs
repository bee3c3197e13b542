using System.Net;
using Microsoft.AspNetCore.Http;
using Portal.ForwardAuth;
using Portal.Configuration;
using Portal.Gateway;
using Portal.Infrastructure;
using Portal.Tests.Support;

namespace Portal.Tests.Gateway;

/// <summary>A TLS gateway with one more route, to an upstream that is not listening.</summary>
public sealed class SecurityHeadersGatewayFixture : GatewayFixture
{
    internal override Task<GatewayTestHost> StartAsync() => GatewayTestHost.StartInProcessAsync(accessControl: GatewayFlowTests.AccessControl,
        extraRoutes: _ => """
                - hosts: ['public.example.com']
                  path: '/dead'
                  upstreams: ['http://127.0.0.1:1/']
            """);
}

/// <summary>
/// The gateway's own answers (redirect, 401, 400, 403, 404, 502, 503) carry the portal's defensive headers and, over
/// https, HSTS; a forwarded response keeps exactly the headers the app sent.
/// </summary>
public sealed class GatewaySecurityHeadersTests(SecurityHeadersGatewayFixture fixture) : IClassFixture<SecurityHeadersGatewayFixture>
{
    private GatewayTestHost Host => fixture.Host;

    private static readonly string[] DefensiveHeaders =
        ["X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options", "Content-Security-Policy", "Cache-Control", "Strict-Transport-Security"];

    private static void AssertDefensive(HttpResponseMessage response, string csp, string? hsts = "max-age=31536000")
    {
        Assert.Equal("nosniff", PortalTestHost.Header(response, "X-Content-Type-Options"));
        Assert.Equal("strict-origin-when-cross-origin", PortalTestHost.Header(response, "Referrer-Policy"));
        Assert.Equal("DENY", PortalTestHost.Header(response, "X-Frame-Options"));
        Assert.Equal(csp, PortalTestHost.Header(response, "Content-Security-Policy"));
        Assert.Equal("no-store", PortalTestHost.Header(response, "Cache-Control"));
        Assert.Equal(hsts, PortalTestHost.Header(response, "Strict-Transport-Security"));
    }

    [Theory]
    [InlineData("text/html", HttpStatusCode.Found)]
    [InlineData("application/json", HttpStatusCode.Unauthorized)]
    public async Task Sign_in_redirect_and_401_carry_the_security_headers_and_hsts(string accept, HttpStatusCode expected)
    {
        using var response = await Host.GetAsync("app.example.com", "/private", accept: accept);
        Assert.Equal(expected, response.StatusCode);
        AssertDefensive(response, SecurityHeaders.ApiPolicy);
    }

    [Fact]
    public async Task Forbidden_page_carries_the_security_headers_and_hsts()
    {
        var cookie = await Host.LoginAsync("john");
        using var response = await Host.GetAsync("deny.example.com", "/", cookie);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        AssertDefensive(response, GatewayPages.PagePolicy);
    }

    [Fact]
    public async Task Not_found_page_carries_the_security_headers_and_hsts()
    {
        using var response = await Host.GetAsync("nowhere.example.org", "/");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        AssertDefensive(response, GatewayPages.PagePolicy);
    }

    [Fact]
    public async Task Bad_request_pages_carry_the_security_headers_and_hsts()
    {
        using var badHost = await Host.GetAsync("xn--zz.example.com", "/");
        Assert.Equal(HttpStatusCode.BadRequest, badHost.StatusCode);
        AssertDefensive(badHost, GatewayPages.PagePolicy);

        var badMethod = await Host.SendRawAsync("app.example.com", "/", "get", ("Accept", "text/html"));
        Assert.Equal(400, badMethod.Status);
        Assert.Equal("nosniff", badMethod.Header("X-Content-Type-Options"));
        Assert.Equal("strict-origin-when-cross-origin", badMethod.Header("Referrer-Policy"));
        Assert.Equal("DENY", badMethod.Header("X-Frame-Options"));
        Assert.Equal(GatewayPages.PagePolicy, badMethod.Header("Content-Security-Policy"));
        Assert.Equal("max-age=31536000", badMethod.Header("Strict-Transport-Security"));
    }

    [Fact]
    public async Task Upstream_that_does_not_answer_gets_a_502_page_with_the_security_headers()
    {
        using var response = await Host.GetAsync("public.example.com", "/dead/x");
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("<h1>Bad Gateway</h1>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        AssertDefensive(response, GatewayPages.PagePolicy);
    }

    [Fact]
    public async Task Forwarded_response_keeps_the_apps_headers_untouched()
    {
        using var response = await Host.GetAsync("public.example.com", "/open");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(EchoUpstream.Marker, PortalTestHost.Header(response, "X-Upstream"));
        foreach (var name in DefensiveHeaders.Append("Permissions-Policy").Append("Pragma"))
        {
            Assert.Null(PortalTestHost.Header(response, name));
        }
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("https", "max-age=31536000")]
    public async Task Gateway_error_page_over_plain_http_gets_hsts_only_when_a_trusted_proxy_says_https(string? forwardedProto, string? hsts)
    {
        await using var upstream = await EchoUpstream.StartAsync();
        var options = ConfigLoader.LoadYaml($"""
            gateway:
              address: 'tcp://127.0.0.1:0/'
              trusted_proxies: ['127.0.0.1']
            {GatewayTestHost.Routes(upstream)}
            """).Options;
        await using var gateway = GatewayApp.Build(options, new ThrowingDecider(), null);
        await gateway.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(PortalApp.BoundAddresses(gateway)[0]) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/boom");
        request.Headers.Host = "app.example.com";
        if (forwardedProto is not null)
        {
            request.Headers.Add("X-Forwarded-Proto", forwardedProto);
        }
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        AssertDefensive(response, GatewayPages.PagePolicy, hsts);
    }

    private sealed class ThrowingDecider : IGatewayDecider
    {
        public Task<AuthzReply> DecideAsync(GatewayQuestion question, CancellationToken ct) => throw new InvalidOperationException("decider failed");
    }
}
