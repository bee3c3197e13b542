using Portal.Configuration;
using Portal.FirstFactor;
using Portal.Gateway;
using Portal.Infrastructure;
using Portal.Session;

namespace Portal.Tests.Infrastructure;

/// <summary>
/// The localhost demo's exception to "https only": plain http URLs only on loopback names, and only while every
/// browser-facing listener (portal, and gateway when it has routes) is on loopback without TLS. Everything else is
/// refused exactly as before.
/// </summary>
public sealed class LoopbackHttpTests
{
    private static PortalOptions Demo(string authUrl = "http://auth.demo.localhost:9080/", string domain = "demo.localhost",
        string server = "tcp://127.0.0.1:0/", string gateway = "tcp://127.0.0.1:9080/", bool gatewayRoutes = true,
        ServerTlsOptions? serverTls = null, ServerTlsOptions? gatewayTls = null) => new()
    {
        Server = new ServerOptions { Address = server, Tls = serverTls ?? new() },
        Gateway = new GatewayOptions
        {
            Address = gateway,
            Routes = gatewayRoutes ? [new GatewayRouteOptions { Hosts = ["app.demo.localhost"], Upstreams = ["http://127.0.0.1:8080/"] }] : [],
            Tls = gatewayTls ?? new(),
        },
        Session = new SessionOptions { Cookies = [new SessionCookieOptions { Domain = domain, AutheliaUrl = authUrl }] },
    };

    private static List<string> SessionErrors(PortalOptions options)
    {
        var diag = new ConfigDiagnostics();
        SessionValidator.Validate(options, diag);
        return diag.Errors.Select(e => e.ToString()).ToList();
    }

    [Theory]
    [InlineData("http://auth.demo.localhost:9080/")]
    [InlineData("http://auth.demo.localhost/")]
    public void An_http_portal_url_on_a_localhost_name_is_accepted_when_every_listener_is_loopback(string url) =>
        Assert.Empty(SessionErrors(Demo(url)));

    [Fact]
    public void An_http_portal_url_on_a_real_domain_is_refused_even_with_loopback_listeners()
    {
        var errors = SessionErrors(Demo("http://auth.example.com/", "example.com"));
        Assert.Contains(errors, e => e.Contains("authelia_url", StringComparison.Ordinal) && e.Contains("must use the 'https' scheme", StringComparison.Ordinal));
    }

    [Fact]
    public void An_http_portal_url_on_a_name_that_merely_contains_localhost_is_refused()
    {
        var errors = SessionErrors(Demo("http://auth.localhost.example.com/", "localhost.example.com"));
        Assert.Contains(errors, e => e.Contains("must use the 'https' scheme", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("tcp://:9091/", "tcp://127.0.0.1:9080/", true)]
    [InlineData("tcp://192.168.1.10:9091/", "tcp://127.0.0.1:9080/", true)]
    [InlineData("tcp://127.0.0.1:9091/", "tcp://:9080/", true)]
    [InlineData("tcp://127.0.0.1:9091/", "tcp://0.0.0.0:9080/", true)]
    [InlineData("unix:///run/portal.sock", "tcp://127.0.0.1:9080/", true)]
    [InlineData("tcp://:9091/", "tcp://127.0.0.1:9080/", false)]
    public void An_http_portal_url_on_a_localhost_name_is_refused_when_a_listener_reaches_beyond_loopback(string server, string gateway, bool routes)
    {
        var errors = SessionErrors(Demo(server: server, gateway: gateway, gatewayRoutes: routes));
        Assert.Contains(errors, e => e.Contains("must use the 'https' scheme", StringComparison.Ordinal));
    }

    [Fact]
    public void An_http_portal_url_is_refused_when_the_portal_or_the_gateway_has_tls()
    {
        var portalTls = Demo(serverTls: new ServerTlsOptions { Certificate = "/etc/portal/cert.pem", Key = "/etc/portal/key.pem" });
        Assert.NotEmpty(SessionErrors(portalTls));
        var gatewayTls = Demo(gatewayTls: new ServerTlsOptions { Certificate = "/etc/portal/cert.pem", Key = "/etc/portal/key.pem" });
        Assert.NotEmpty(SessionErrors(gatewayTls));
    }

    [Theory]
    [InlineData("http://app.demo.localhost:9080/one-factor", true)]
    [InlineData("http://demo.localhost:9080/", true)]
    [InlineData("ws://app.demo.localhost:9080/socket", true)]
    [InlineData("https://app.demo.localhost:9080/", true)]
    [InlineData("http://app.example.com/", false)]
    [InlineData("http://app.example.com:9080/", false)]
    [InlineData("http://app.demo.localhost.example.com:9080/", false)]
    [InlineData("http://evil.localhost:9080/", false)]
    [InlineData("http://app.demo.localhost:9999/", false)]
    [InlineData("http://user@app.demo.localhost:9080/", false)]
    [InlineData("http://127.0.0.1:9080/", false)]
    public void Redirects_over_http_are_safe_only_to_loopback_names_under_the_cookie_domain(string url, bool safe)
    {
        var check = new SafeRedirect(["demo.localhost", "example.com"], [9080], allowLoopbackHttp: true);
        Assert.Equal(safe, check.IsSafe(url));
    }

    [Fact]
    public void Redirects_over_http_stay_unsafe_unless_the_configuration_permits_loopback_http()
    {
        var check = new SafeRedirect(["demo.localhost"], [9080]);
        Assert.False(check.IsSafe("http://app.demo.localhost:9080/"));
        Assert.True(check.IsSafe("https://app.demo.localhost:9080/"));
    }

    [Theory]
    [InlineData("localhost", true)]
    [InlineData("app.demo.localhost", true)]
    [InlineData("APP.Demo.LOCALHOST", true)]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.8.9.10", true)]
    [InlineData("[::1]", true)]
    [InlineData("localhost.example.com", false)]
    [InlineData("localhostx", false)]
    [InlineData("10.0.0.1", false)]
    [InlineData("[::2]", false)]
    [InlineData("example.com", false)]
    public void Loopback_names_are_localhost_its_subdomains_and_loopback_addresses(string host, bool loopback) =>
        Assert.Equal(loopback, LoopbackHttp.IsLoopbackName(host));

    [Fact]
    public void The_default_template_listener_permits_loopback_http_but_an_every_interface_portal_does_not()
    {
        Assert.True(LoopbackHttp.Permitted(Demo(gatewayRoutes: false)));
        Assert.False(LoopbackHttp.Permitted(new PortalOptions()));
    }
}
