using Portal.Configuration;
using Portal.Session;

namespace Portal.Tests.Session;

public sealed class SessionValidatorTests
{
    private static PortalOptions Valid() => With(new SessionOptions { Cookies = [Cookie()] });

    /// <summary>Options are read-only once built, so each test builds the session section it needs.</summary>
    private static PortalOptions With(SessionOptions session) => new() { Session = session };

    private static SessionCookieOptions Cookie(
        string domain = "example.com", string autheliaUrl = "https://auth.example.com", string defaultRedirectionUrl = "https://home.example.com") => new()
    {
        Domain = domain,
        AutheliaUrl = autheliaUrl,
        DefaultRedirectionUrl = defaultRedirectionUrl,
    };

    private static List<string> Messages(PortalOptions options)
    {
        var diag = new ConfigDiagnostics();
        SessionValidator.Validate(options, diag);
        return diag.Items.Select(d => $"{d.Severity}: {d}").ToList();
    }

    [Fact]
    public void Valid_configuration_gives_no_diagnostics()
    {
        Assert.Empty(Messages(Valid()));
    }

    [Fact]
    public void Missing_cookies_is_an_error()
    {
        var options = With(new SessionOptions { Cookies = [] });

        Assert.Equal(["Error: session: option 'cookies' is required: configure at least one cookie domain"], Messages(options));
    }

    [Theory]
    [InlineData("", "option 'domain' is required")]
    [InlineData("*.example.com", "option 'domain' must not start with '*.' ('*.example.com'): a cookie domain already covers its subdomains")]
    [InlineData("localhost", "option 'domain' is not a valid cookie domain ('localhost'): it must have at least one period or be an IP address")]
    [InlineData("co.uk", "option 'domain' is a public suffix ('co.uk'): use a domain you own under it")]
    [InlineData("duckdns.org", "option 'domain' is a public suffix ('duckdns.org'): use a domain you own under it")]
    [InlineData("example.com:8443", "option 'domain' must be a bare domain without scheme, port or path ('example.com:8443')")]
    public void Bad_cookie_domain_is_reported_at_its_path(string domain, string message)
    {
        var options = With(new SessionOptions { Cookies = [Cookie(domain, "https://auth.example.com", "")] });

        Assert.Equal(["Error: session: cookies[0]: " + message], Messages(options));
    }

    [Fact]
    public void Ip_address_is_a_valid_cookie_domain()
    {
        var options = With(new SessionOptions { Cookies = [Cookie("192.168.1.10", "https://192.168.1.10:9091", "")] });

        Assert.Empty(Messages(options));
    }

    [Fact]
    public void Leading_dot_on_a_domain_is_a_warning()
    {
        var options = With(new SessionOptions { Cookies = [Cookie(".example.com")] });

        Assert.Equal(["Warning: session: cookies[0]: option 'domain' has a leading '.' ('.example.com'), which is ignored"],
            Messages(options));
    }

    [Theory]
    [InlineData("auth.example.com", "option 'authelia_url' must be an absolute URL ('auth.example.com')")]
    [InlineData("http://auth.example.com", "option 'authelia_url' must use the 'https' scheme ('http://auth.example.com')")]
    [InlineData("https://auth.evil.com", "option 'authelia_url' must be on the cookie domain 'example.com' or a subdomain of it ('https://auth.evil.com')")]
    [InlineData("https://authexample.com", "option 'authelia_url' must be on the cookie domain 'example.com' or a subdomain of it ('https://authexample.com')")]
    public void Bad_authelia_url_is_reported_at_its_path(string url, string message)
    {
        var options = With(new SessionOptions { Cookies = [Cookie(autheliaUrl: url)] });

        Assert.Equal(["Error: session: cookies[0]: " + message], Messages(options));
    }

    [Theory]
    [InlineData("http://home.example.com", "option 'default_redirection_url' must use the 'https' scheme ('http://home.example.com')")]
    [InlineData("https://home.other.net", "option 'default_redirection_url' must be on the cookie domain 'example.com' or a subdomain of it ('https://home.other.net')")]
    [InlineData("https://auth.example.com", "option 'default_redirection_url' must not be the same as 'authelia_url'")]
    public void Bad_default_redirection_url_is_reported_at_its_path(string url, string message)
    {
        var options = With(new SessionOptions { Cookies = [Cookie(defaultRedirectionUrl: url)] });

        Assert.Equal(["Error: session: cookies[0]: " + message], Messages(options));
    }

    [Fact]
    public void Overlapping_cookie_domains_are_an_error_on_the_later_entry()
    {
        var options = With(new SessionOptions
        {
            Cookies =
            [
                Cookie(),
                new SessionCookieOptions { Domain = "app.example.com", AutheliaUrl = "https://auth.app.example.com" },
                new SessionCookieOptions { Domain = "example.org", AutheliaUrl = "https://auth.example.org" },
            ],
        });

        Assert.Equal(
            ["Error: session: cookies[1]: option 'domain' overlaps with session.cookies[0] ('example.com'): cookie domains must not share a scope ('app.example.com')"],
            Messages(options));
    }

    [Fact]
    public void Same_site_and_durations_are_checked_globally_and_per_cookie()
    {
        var cookie = Cookie();
        var options = With(new SessionOptions
        {
            SameSite = "Sometimes",
            Expiration = TimeSpan.Zero,
            RememberMe = TimeSpan.Zero,
            Cookies =
            [
                new SessionCookieOptions
                {
                    Domain = cookie.Domain,
                    AutheliaUrl = cookie.AutheliaUrl,
                    DefaultRedirectionUrl = cookie.DefaultRedirectionUrl,
                    SameSite = "loose",
                    Inactivity = TimeSpan.FromMinutes(-1),
                },
            ],
        });

        Assert.Equal(
            [
                "Error: session: option 'same_site' must be one of 'lax', 'strict', 'none' but is 'Sometimes'",
                "Error: session: option 'expiration' must be a positive duration",
                "Error: session: option 'remember_me' must be a positive duration, or -1 to disable remember me",
                "Error: session: cookies[0]: option 'same_site' must be one of 'lax', 'strict', 'none' but is 'loose'",
                "Error: session: cookies[0]: option 'inactivity' must be a positive duration",
            ],
            Messages(options));
    }

    [Fact]
    public void Negative_remember_me_disables_it_without_error()
    {
        var options = With(new SessionOptions { RememberMe = TimeSpan.FromSeconds(-1), Cookies = [Cookie()] });

        Assert.Empty(Messages(options));
    }

    [Fact]
    public void Redis_requires_a_secret_a_host_a_valid_port_and_database_index()
    {
        var options = With(new SessionOptions { Cookies = [Cookie()], Redis = new RedisOptions { Host = "", DatabaseIndex = -1 } });

        Assert.Equal(
            [
                "Error: session: option 'secret' is required when using the 'redis' provider",
                "Error: session: redis: option 'host' is required",
                "Error: session: redis: option 'database_index' must be 0 or more but is '-1'",
            ],
            Messages(options));
    }

    [Fact]
    public void Redis_port_out_of_range_is_an_error()
    {
        var options = With(new SessionOptions
        {
            Secret = "a-long-random-secret-value",
            Cookies = [Cookie()],
            Redis = new RedisOptions { Host = "redis", Port = 70000 },
        });

        Assert.Equal(["Error: session: redis: option 'port' must be between 1 and 65535 but is '70000'"], Messages(options));
    }

    [Fact]
    public void Redis_unix_socket_needs_no_port()
    {
        var options = With(new SessionOptions
        {
            Secret = "a-long-random-secret-value",
            Cookies = [Cookie()],
            Redis = new RedisOptions { Host = "/run/redis/redis.sock", Port = 0 },
        });

        Assert.Empty(Messages(options));
    }
}
