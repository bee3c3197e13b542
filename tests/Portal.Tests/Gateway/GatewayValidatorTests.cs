using Portal.Cli;
using Portal.Configuration;
using Portal.Gateway;
using Portal.Tests.Configuration;
using Portal.Tests.Support;

namespace Portal.Tests.Gateway;

/// <summary>The gateway section is checked at startup, every problem named by its YAML path.</summary>
public sealed class GatewayValidatorTests
{
    private static List<ConfigDiagnostic> Diagnostics(string gatewayYaml) => [.. ConfigLoaderTests.LoadOverMinimal(gatewayYaml).Diagnostics.Items];

    private static List<string> Errors(string yaml) =>
        Diagnostics(yaml).Where(d => d.Severity == ConfigSeverity.Error).Select(d => d.ToString()).ToList();

    internal const string Route = "    - hosts: ['app.example.com']\n      upstreams: ['http://127.0.0.1:8080']\n";

    [Theory]
    [InlineData("gateway:\n  routes:\n    - upstreams: ['http://127.0.0.1:8080']\n", "gateway: routes[0]: option 'hosts' is required")]
    [InlineData("gateway:\n  routes:\n    - hosts: ['https://app.example.com']\n      upstreams: ['http://127.0.0.1:8080']\n", "gateway: routes[0]: hosts[0]: 'https://app.example.com' must be a host name")]
    [InlineData("gateway:\n  routes:\n    - hosts: ['app.example.com:443']\n      upstreams: ['http://127.0.0.1:8080']\n", "gateway: routes[0]: hosts[0]: 'app.example.com:443' must be a host name")]
    [InlineData("gateway:\n  routes:\n    - hosts: ['app.example.com']\n", "gateway: routes[0]: option 'upstreams' is required")]
    [InlineData("gateway:\n  routes:\n    - hosts: ['app.example.com']\n      upstreams: ['127.0.0.1:8080']\n", "gateway: routes[0]: upstreams[0]: '127.0.0.1:8080' must be an absolute http(s) URL")]
    [InlineData("gateway:\n  routes:\n    - hosts: ['app.example.com']\n      upstreams: ['http://user:pw@127.0.0.1:8080']\n", "gateway: routes[0]: upstreams[0]: 'http://user:pw@127.0.0.1:8080' must be an absolute http(s) URL")]
    [InlineData("gateway:\n  routes:\n    - hosts: ['app.example.com']\n      path: 'api'\n      upstreams: ['http://127.0.0.1:8080']\n", "gateway: routes[0]: option 'path' must start with '/'")]
    [InlineData("gateway:\n  routes:\n    - hosts: ['app.example.com']\n      path: '/api/{id}'\n      upstreams: ['http://127.0.0.1:8080']\n", "gateway: routes[0]: option 'path' '/api/{id}' may only contain")]
    [InlineData("gateway:\n  routes:\n    - hosts: ['app.example.com']\n      path: '/a/../b'\n      upstreams: ['http://127.0.0.1:8080']\n", "gateway: routes[0]: option 'path' '/a/../b' must not contain")]
    [InlineData("gateway:\n  routes:\n    - hosts: ['app.example.com']\n      upstreams: ['http://127.0.0.1:8080']\n      timeout: '0s'\n", "gateway: routes[0]: option 'timeout' must be greater than zero")]
    [InlineData("gateway:\n  routes:\n" + Route + Route, "gateway: routes[1]: hosts[0]: 'app.example.com' with path '/' is already served by gateway.routes[0]")]
    [InlineData("gateway:\n  routes:\n" + Route + "    - hosts: ['APP.example.com']\n      path: '/'\n      upstreams: ['http://127.0.0.1:8081']\n", "gateway: routes[1]: hosts[0]: 'APP.example.com' with path '/' is already served by gateway.routes[0]")]
    [InlineData("gateway:\n  address: 'tcp://127.0.0.1:9080/sub'\n  routes:\n" + Route, "gateway: option 'address' must not have a path")]
    [InlineData("gateway:\n  portal_url: 'portal:9091'\n  routes:\n" + Route, "gateway: option 'portal_url' must be an absolute http(s) URL")]
    [InlineData("gateway:\n  portal_url: 'http://portal:9091/api/authz/forward-auth'\n  routes:\n" + Route, "gateway: option 'portal_url' must be the portal's own URL, not one of its endpoints")]
    [InlineData("gateway:\n  tls:\n    certificate: '/nonexistent/cert.pem'\n  routes:\n" + Route, "gateway: tls: option 'key' is required when the other")]
    [InlineData("gateway:\n  tls:\n    certificate: '/nonexistent/cert.pem'\n    key: '/nonexistent/key.pem'\n  routes:\n" + Route, "gateway: tls: option 'certificate' names '/nonexistent/cert.pem', which does not exist")]
    [InlineData("gateway:\n  trusted_proxies: ['10.0.0.0/33']\n  routes:\n" + Route, "gateway: trusted_proxies[0]: '10.0.0.0/33' must be an IP address or a CIDR range")]
    [InlineData("gateway:\n  trusted_proxies: ['10.1']\n  routes:\n" + Route, "gateway: trusted_proxies[0]: '10.1' must be an IP address or a CIDR range")]
    [InlineData("gateway:\n  trusted_proxies: ['[::1]']\n  routes:\n" + Route, "gateway: trusted_proxies[0]: '[::1]' must be an IP address or a CIDR range")]
    public void Bad_gateway_options_are_reported_with_their_yaml_path(string yaml, string expectedStart)
    {
        var errors = Errors(yaml);
        Assert.Contains(errors, e => e.StartsWith(expectedStart, StringComparison.Ordinal));
    }

    [Fact]
    public void Valid_routes_with_prefixes_and_wildcards_have_no_errors()
    {
        var errors = Errors("gateway:\n  address: 'tcp://127.0.0.1:9080/'\n  routes:\n" + Route +
            "    - hosts: ['app.example.com']\n      path: '/api/'\n      upstreams: ['http://127.0.0.1:8081']\n      timeout: '30s'\n      websockets: false\n" +
            "    - hosts: ['*.example.com']\n      upstreams: ['https://10.0.0.5:8443/base', 'http://10.0.0.6:8080']\n      pass_session_cookie: true\n");
        Assert.DoesNotContain(errors, e => e.StartsWith("gateway", StringComparison.Ordinal));
    }

    [Fact]
    public void Route_host_outside_every_cookie_domain_is_a_warning()
    {
        var diagnostics = Diagnostics("gateway:\n  address: 'tcp://127.0.0.1:9080/'\n  routes:\n    - hosts: ['app.other.org']\n      upstreams: ['http://127.0.0.1:8080']\n");
        Assert.Contains(diagnostics, d => d.Severity == ConfigSeverity.Warning && d.ToString().Contains("'app.other.org' is not under any session.cookies domain", StringComparison.Ordinal));
    }

    [Fact]
    public void Http_listener_beyond_loopback_without_a_tls_proxy_is_a_warning()
    {
        var diagnostics = Diagnostics("gateway:\n  address: 'tcp://:9080/'\n  routes:\n" + Route);
        Assert.Contains(diagnostics, d => d.Severity == ConfigSeverity.Warning && d.ToString().StartsWith("gateway: option 'address' listens beyond loopback without 'tls'", StringComparison.Ordinal));
    }

    [Fact]
    public void Standalone_gateway_needs_routes_and_a_portal_url_and_ignores_portal_only_sections()
    {
        using var dir = new TempDirectory();
        var (_, errors, _) = GatewayCommand.Load([dir.Write("gateway.yml", "gateway:\n  address: 'tcp://127.0.0.1:9080/'\n")], new Dictionary<string, string>());
        Assert.Equal(
            ["gateway: option 'routes' is required: 'portal gateway' needs at least one route",
             "gateway: option 'portal_url' is required: 'portal gateway' asks the portal at this URL, such as 'http://127.0.0.1:9091/'"],
            errors.Select(e => e.ToString()));
    }

    [Theory]
    [InlineData("Remote-User", true)]
    [InlineData("remote_user", true)]
    [InlineData("REMOTE_GROUPS", true)]
    [InlineData("Remote-Anything", true)]
    [InlineData("X_Forwarded_Host", true)]
    [InlineData("x-forwarded-prefix", true)]
    [InlineData("X-Real-IP", true)]
    [InlineData("X_Original_URL", true)]
    [InlineData("Forwarded", true)]
    [InlineData("X-Remote-User", true)]
    [InlineData("x_auth_request_email", true)]
    [InlineData("X-WEBAUTH-USER", true)]
    [InlineData("X-Authentik-Groups", true)]
    [InlineData("Remoteuser", false)]
    [InlineData("Accept", false)]
    [InlineData("X-Request-Id", false)]
    public void Reserved_header_names_are_recognised_in_every_spelling(string name, bool reserved)
    {
        Assert.Equal(reserved, GatewayHeaders.IsReserved(name));
    }
}
