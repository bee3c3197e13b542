using System.Net;
using Portal.Configuration;
using Portal.Gateway;
using Portal.Infrastructure;
using Portal.Tests.Support;

namespace Portal.Tests.Gateway;

/// <summary>
/// The localhost demo rule: a gateway without TLS decides plain-http targets only when it listens on loopback and
/// the browser asked for a loopback name; any other http target is refused before any rule is consulted.
/// </summary>
public sealed class GatewayPlainHttpTests
{
    private const string DemoYaml = """

        session:
          cookies:
            - domain: example.com
              authelia_url: https://auth.example.com/
            - domain: demo.localhost
              authelia_url: https://auth.demo.localhost/
        """;

    private static readonly string AccessControl = PortalTestHost.DefaultAccessControl + """

            - domain: 'app.demo.localhost'
              policy: one_factor
        """;

    private static string LocalhostRoute(string upstream) => $"""
            - hosts: ['*.demo.localhost']
              upstreams: ['{upstream}']
        """;

    [Fact]
    public async Task Loopback_http_gateway_decides_localhost_names_end_to_end()
    {
        await using var host = await StartAsync("127.0.0.1");
        using (var anonymous = await host.GetAsync("app.demo.localhost", "/page"))
        {
            Assert.Equal(HttpStatusCode.Found, anonymous.StatusCode);
            Assert.Equal($"https://auth.demo.localhost/?rd={Uri.EscapeDataString(host.Url("app.demo.localhost", "/page"))}&rm=GET", anonymous.Headers.Location?.OriginalString);
        }
        Assert.Empty(host.Reached("/page"));
        var cookie = await host.LoginAsync("john", portalHost: "auth.demo.localhost");
        using var allowed = await host.GetAsync("app.demo.localhost", "/page", cookie);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        var seen = Assert.Single(host.Reached("/page"));
        Assert.Equal("john", seen.Single("Remote-User"));
        Assert.Equal("http", seen.Single("X-Forwarded-Proto"));
    }

    [Fact]
    public async Task Http_gateway_refuses_real_domains_even_with_a_forged_https_proto()
    {
        await using var host = await StartAsync("127.0.0.1");
        var cookie = await host.LoginAsync("john");
        var response = await host.SendRawAsync("app.example.com", "/over-http", "GET",
            ("Accept", "text/html"), ("Cookie", $"authelia_session={cookie}"), ("X-Forwarded-Proto", "https"), ("Forwarded", "proto=https"));
        Assert.Equal(400, response.Status);
        Assert.Empty(host.Reached("/over-http"));
    }

    [Fact]
    public async Task Http_gateway_on_every_interface_refuses_even_localhost_names()
    {
        await using var host = await StartAsync("0.0.0.0");
        var cookie = await host.LoginAsync("john", portalHost: "auth.demo.localhost");
        using var response = await host.GetAsync("app.demo.localhost", "/wide", cookie);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(host.Reached("/wide"));
    }

    [Theory]
    [InlineData("tcp://127.0.0.1:9080/", false, "app.demo.localhost", true)]
    [InlineData("tcp://127.0.0.1:9080/", false, "localhost", true)]
    [InlineData("tcp://127.0.0.1:9080/", false, "127.0.0.1", true)]
    [InlineData("tcp6://[::1]:9080/", false, "::1", true)]
    [InlineData("tcp://127.0.0.1:9080/", false, "app.example.com", false)]
    [InlineData("tcp://127.0.0.1:9080/", false, "localhost.example.com", false)]
    [InlineData("tcp://127.0.0.1:9080/", false, "10.0.0.1", false)]
    [InlineData("tcp://:9080/", false, "app.demo.localhost", false)]
    [InlineData("tcp://192.168.1.2:9080/", false, "app.demo.localhost", false)]
    [InlineData("tcp://127.0.0.1:9080/", true, "app.demo.localhost", false)]
    public void Plain_http_is_allowed_only_on_a_loopback_listener_without_tls_for_loopback_names(string address, bool tls, string host, bool allowed)
    {
        using var dir = new TempDirectory();
        var options = new GatewayOptions { Address = address };
        if (tls)
        {
            var certificate = TestCertificate.Create(dir.Path, "*.demo.localhost");
            options = options with { Tls = new ServerTlsOptions { Certificate = certificate.CertificateFile, Key = certificate.KeyFile } };
        }
        Assert.Equal(allowed, GatewayListener.From(options).AllowsPlainHttpFor(host));
    }

    private static Task<GatewayTestHost> StartAsync(string listen) =>
        GatewayTestHost.StartInProcessAsync(tls: false, listen: listen, accessControl: AccessControl, extraYaml: DemoYaml, extraRoutes: LocalhostRoute);
}
