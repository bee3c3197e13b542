using System.Net;
using System.Net.Security;
using Portal.Tests.Support;

namespace Portal.Tests.Infrastructure;

/// <summary>Strict-Transport-Security (<c>server.hsts</c>) on the portal's answers, over a real socket.</summary>
public sealed class SecurityHeadersTests
{
    private static async Task<HttpResponseMessage> GetAsync(PortalTestHost host, string path, string? forwardedProto)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = "auth.example.com";
        if (forwardedProto is not null)
        {
            request.Headers.Add("X-Forwarded-Proto", forwardedProto);
        }
        return await host.Client.SendAsync(request);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/api/state")]
    [InlineData("/api/nothing-here")]
    public async Task Answer_to_an_https_request_through_a_trusted_proxy_carries_hsts_for_a_year(string path)
    {
        await using var host = await PortalTestHost.StartAsync();
        using var response = await GetAsync(host, path, "https");
        Assert.Equal("max-age=31536000", PortalTestHost.Header(response, "Strict-Transport-Security"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("http")]
    public async Task Answer_over_plain_http_never_carries_hsts(string? forwardedProto)
    {
        await using var host = await PortalTestHost.StartAsync();
        using var response = await GetAsync(host, "/", forwardedProto);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(PortalTestHost.Header(response, "Strict-Transport-Security"));
    }

    [Fact]
    public async Task Forwarded_https_from_an_untrusted_peer_does_not_turn_hsts_on()
    {
        await using var host = await PortalTestHost.StartAsync("server:\n  trusted_proxies: ['10.0.0.0/8']\n");
        using var response = await GetAsync(host, "/", "https");
        Assert.Null(PortalTestHost.Header(response, "Strict-Transport-Security"));
    }

    [Fact]
    public async Task An_allowed_authz_answer_carries_only_no_store_and_a_refusal_keeps_every_browser_header()
    {
        // "Allowed" is read by the proxy alone; a redirect or 401 may be relayed to the browser as it is.
        await using var host = await PortalTestHost.StartAsync();
        var cookie = await host.LoginAsync("john");

        using var allowed = await host.ForwardAuthAsync("https://app.example.com/", cookie: cookie);
        using var refused = await host.ForwardAuthAsync("https://app.example.com/");

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal("john", PortalTestHost.Header(allowed, "Remote-User"));
        Assert.Null(PortalTestHost.Header(allowed, "X-Content-Type-Options"));
        Assert.Null(PortalTestHost.Header(allowed, "Content-Security-Policy"));
        Assert.Equal("no-store", PortalTestHost.Header(allowed, "Cache-Control"));
        Assert.Equal(HttpStatusCode.Found, refused.StatusCode);
        Assert.Equal("nosniff", PortalTestHost.Header(refused, "X-Content-Type-Options"));
        Assert.Equal("DENY", PortalTestHost.Header(refused, "X-Frame-Options"));
        Assert.Equal("no-store", PortalTestHost.Header(refused, "Cache-Control"));
    }

    [Fact]
    public async Task Authz_answers_name_no_policy_because_the_proxy_relays_them_for_the_apps_host()
    {
        await using var host = await PortalTestHost.StartAsync();
        using var response = await host.ForwardAuthAsync("https://app.example.com/");
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Null(PortalTestHost.Header(response, "Strict-Transport-Security"));
    }

    [Theory]
    [InlineData("max_age: '2d'\n    include_subdomains: true", "max-age=172800; includeSubDomains")]
    [InlineData("max_age: 0", "max-age=0")]
    [InlineData("enabled: false", null)]
    public async Task Hsts_follows_server_hsts(string settings, string? expected)
    {
        await using var host = await PortalTestHost.StartAsync($"server:\n  hsts:\n    {settings}\n");
        using var response = await GetAsync(host, "/", "https");
        Assert.Equal(expected, PortalTestHost.Header(response, "Strict-Transport-Security"));
    }

    [Fact]
    public async Task Portal_serving_tls_itself_sends_hsts()
    {
        using var dir = new TempDirectory();
        var certificate = TestCertificate.Create(dir.Path, "auth.example.com");
        await using var host = await PortalTestHost.StartAsync($"server:\n  tls:\n    certificate: '{certificate.CertificateFile}'\n    key: '{certificate.KeyFile}'\n");
        using var client = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, cert, _, _) => certificate.Matches(cert) },
        });
        Assert.Equal("https", host.BaseAddress.Scheme);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(host.BaseAddress, "/api/state"));
        request.Headers.Host = "auth.example.com";
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("max-age=31536000", PortalTestHost.Header(response, "Strict-Transport-Security"));
    }
}
