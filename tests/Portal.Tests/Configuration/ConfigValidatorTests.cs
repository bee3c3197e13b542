using Portal.Configuration;
using Portal.Infrastructure;

namespace Portal.Tests.Configuration;

public sealed class ConfigValidatorTests
{
    /// <summary>Loads the minimal file overlaid with <paramref name="overlayYaml"/> as a second file.</summary>
    private static List<string> Errors(string overlayYaml) =>
        ConfigLoaderTests.LoadOverMinimal(overlayYaml).Diagnostics.Errors.Select(e => e.ToString()).ToList();

    [Fact]
    public void Passkey_uv_switch_without_passkey_login_is_the_authelia_error()
    {
        var errors = Errors("webauthn:\n  experimental_enable_passkey_uv_two_factors: true\n");
        Assert.Contains(errors, e => e.StartsWith("webauthn: option 'experimental_enable_passkey_uv_two_factors' is true but it must be false when 'enable_passkey_login' is false", StringComparison.Ordinal));
    }

    [Fact]
    public void Both_notifiers_is_an_error()
    {
        var errors = Errors("notifier:\n  smtp:\n    address: smtp://127.0.0.1:25\n    sender: portal@example.com\n");
        Assert.Contains(errors, e => e.StartsWith("notifier: please ensure only one of the 'smtp' or 'filesystem' notifier is configured", StringComparison.Ordinal));
    }

    [Fact]
    public void No_notifier_is_an_error()
    {
        var yaml = ConfigLoaderTests.MinimalYaml.Replace("notifier:\n  filesystem:\n    filename: /tmp/portal-notification.txt\n", "", StringComparison.Ordinal);
        var errors = ConfigLoader.LoadYaml(yaml).Diagnostics.Errors.Select(e => e.ToString());
        Assert.Contains(errors, e => e.StartsWith("notifier: you must ensure either the 'smtp' or 'filesystem' notifier is configured", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("server:\n  address: 'http://:9091/'\n", "server: option 'address' has scheme 'http' but must use")]
    [InlineData("server:\n  trusted_proxies: ['10.0.0.0/33']\n", "server: trusted_proxies[0]: '10.0.0.0/33' must be an IP address or a CIDR range")]
    [InlineData("identity_validation:\n  elevated_session:\n    characters: 21\n", "identity_validation: elevated_session: option 'characters' must be between 1 and 20")]
    [InlineData("webauthn:\n  filtering:\n    permitted_aaguids: ['not-a-guid']\n", "webauthn: filtering: permitted_aaguids[0]: 'not-a-guid' must be an AAGUID")]
    [InlineData("notifier:\n  filesystem:\n    filename: ''\n", "notifier: filesystem: option 'filename' is required")]
    [InlineData("gateway:\n  routes:\n    - hosts: ['app.example.com']\n      upstreams: ['ftp://x']\n", "gateway: routes[0]: upstreams[0]: 'ftp://x' must be an absolute http(s) URL")]
    public void Section_rules_report_the_yaml_path(string yaml, string expectedStart)
    {
        Assert.Contains(Errors(yaml), e => e.StartsWith(expectedStart, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("server:\n  hsts:\n    max_age: -1\n", "server: hsts: option 'max_age' must be a duration of zero or more such as '1y'")]
    [InlineData("server:\n  hsts:\n    max_age: soon\n", "server: hsts: option 'max_age' must be a duration such as '90s', '5m', '1h30m' or '30 days', not 'soon'")]
    [InlineData("server:\n  hsts:\n    enabled: maybe\n", "server: hsts: option 'enabled' must be true or false, not 'maybe'")]
    [InlineData("server:\n  hsts:\n    include_subdomain: true\n", "server: hsts: option 'include_subdomain' is not a known option — did you mean 'include_subdomains'?")]
    [InlineData("server:\n  hsts: true\n", "server: option 'hsts' must be a mapping of options, not 'true'")]
    public void Bad_hsts_values_are_reported_with_their_yaml_path(string yaml, string expectedStart)
    {
        Assert.Contains(Errors(yaml), e => e.StartsWith(expectedStart, StringComparison.Ordinal));
    }

    [Fact]
    public void Hsts_is_on_by_default_for_a_year_without_subdomains()
    {
        var hsts = ConfigLoader.LoadYaml(ConfigLoaderTests.MinimalYaml).Options.Server.Hsts;
        Assert.True(hsts.Enabled);
        Assert.Equal(TimeSpan.FromSeconds(31536000), hsts.MaxAge);
        Assert.False(hsts.IncludeSubdomains);
    }

    [Theory]
    [InlineData("tcp://:9091/", null, 9091, "/")]
    [InlineData("tcp://127.0.0.1:9091/portal/", "127.0.0.1", 9091, "/portal")]
    [InlineData("tcp6://[::1]:9091/", "::1", 9091, "/")]
    public void Listen_addresses_parse_as_authelia_writes_them(string text, string? host, int port, string basePath)
    {
        Assert.True(ListenAddress.TryParse(text, out var address, out var error), error);
        Assert.Equal(host, address.Host?.ToString());
        Assert.Equal(port, address.Port);
        Assert.Equal(basePath, address.BasePath);
    }
}
