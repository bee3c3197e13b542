using System.Net;
using System.Text.Json;
using Portal.Tests.ForwardAuth;
using Portal.Tests.Support;

namespace Portal.Tests.FirstFactor;

/// <summary>
/// peers-and-security §4b.1 through HTTP: none of the open-redirect spellings is ever handed back as a place to send
/// the browser, by login (<c>targetURL</c>), logout (the Authelia GHSA), the safe-redirection check, or the authz
/// endpoints' portal-URL overrides. Allowed cookie domains: example.com and example.net.
/// </summary>
public sealed class OpenRedirectHttpTests(AuthzMatrixFixture fixture) : IClassFixture<AuthzMatrixFixture>
{
    private PortalTestHost Host => fixture.Host;

    public static TheoryData<string> OpenRedirects => new()
    {
        "//evil.com",
        "/\\evil.com",
        "/ /evil.com",
        "/\t/evil.com",
        "/\v\\evil.com",
        "/\r/evil.com",
        "/\n\\evil.com",
        "/./\\evil.com",
        "/./../../\\evil.com",
        "https://example.com@evil.com/",
        "https://app.example.com@evil.com/",
        "https://user:pass@app.example.com/",
        "https://evil.com/?rd=example.com",
        "https://evil.com/#.example.com",
        "https://example.com.evil.com/",
        "https://evilexample.com/",
        "http://app.example.com/",
        "http://example.com/",
        "https://example.com:3838/",
        "javascript:alert(1)",
        "JavaScript://example.com/%0aalert(1)",
        "data:text/html,<script>alert(1)</script>",
        "example.com/x",
        "https://exаmple.com/",
        "https://xn--exmple-cua.com/",
        "https://example.com./",
        "https://app.example.com./",
        "https://app.example.com\\@evil.com/",
        "https://app.example.com%2f@evil.com/",
        "https:/\\evil.com",
        "https:evil.com",
        "https:///evil.com",
        " https://app.example.com/",
        "https://app.example.com/\u0000",
        "\\\\evil.com",
        "",
    };

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    [Fact]
    public async Task Controls_a_safe_target_is_accepted_by_every_endpoint()
    {
        const string safe = "https://app.example.com/ok?x=1";
        using var login = await Host.FirstFactorAsync("bob", PortalTestHost.Password, targetUrl: safe);
        Assert.Equal(safe, (await JsonAsync(login)).GetProperty("data").GetProperty("redirect").GetString());

        using var logout = await Host.PostJsonAsync("/api/logout", new { targetURL = safe });
        Assert.True((await JsonAsync(logout)).GetProperty("data").GetProperty("safeTargetURL").GetBoolean());

        using var check = await Host.PostJsonAsync("/api/checks/safe-redirection", new { uri = "https://app.example.net/" }, fixture.John);
        Assert.True((await JsonAsync(check)).GetProperty("data").GetProperty("ok").GetBoolean());

        using var authz = await Host.ForwardAuthAsync("https://app.example.com/", tweak: r => r.RequestUri = new Uri(
            "/api/authz/forward-auth?authelia_url=" + Uri.EscapeDataString("https://login.example.com/"), UriKind.Relative));
        Assert.StartsWith("https://login.example.com/?rd=", authz.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(OpenRedirects))]
    public async Task Login_never_redirects_to_an_open_redirect_target(string target)
    {
        using var response = await Host.FirstFactorAsync("bob", PortalTestHost.Password, targetUrl: target);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"status":"OK"}""", await response.Content.ReadAsStringAsync());
        Assert.Null(response.Headers.Location);
    }

    [Theory]
    [MemberData(nameof(OpenRedirects))]
    public async Task Logout_reports_an_open_redirect_target_as_unsafe(string target)
    {
        using var response = await Host.PostJsonAsync("/api/logout", new { targetURL = target });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"status":"OK","data":{"safeTargetURL":false}}""", await response.Content.ReadAsStringAsync());
        Assert.Null(response.Headers.Location);
    }

    [Theory]
    [MemberData(nameof(OpenRedirects))]
    public async Task Safe_redirection_check_answers_no_for_an_open_redirect_target(string target)
    {
        using var response = await Host.PostJsonAsync("/api/checks/safe-redirection", new { uri = target }, fixture.John);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"status":"OK","data":{"ok":false}}""", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [MemberData(nameof(OpenRedirects))]
    public async Task Authz_portal_url_override_never_becomes_the_location(string target)
    {
        foreach (var path in new[] { "/api/authz/forward-auth?authelia_url=", "/api/authz/auth-request?authelia_url=", "/api/verify?rd=" })
        {
            var request = new HttpRequestMessage(HttpMethod.Get, path + Uri.EscapeDataString(target));
            request.Headers.Add("X-Forwarded-Proto", "https");
            request.Headers.Add("X-Forwarded-Host", "app.example.com");
            request.Headers.Add("X-Forwarded-Uri", "/");
            request.Headers.Add("X-Forwarded-Method", "GET");
            request.Headers.Add("X-Original-URL", "https://app.example.com/");
            request.Headers.Add("X-Original-Method", "GET");
            request.Headers.Add("Accept", "text/html");
            using var response = await Host.Client.SendAsync(request);

            var location = response.Headers.Location?.OriginalString;
            if (target.Length > 0)
            {
                Assert.Equal(path.StartsWith("/api/verify", StringComparison.Ordinal) ? 401 : 400, (int)response.StatusCode);
                Assert.Null(location);
            }
            else
            {
                // An empty override is no override: the configured portal is used (legacy: no portal, plain 401).
                Assert.True(location is null || location.StartsWith("https://auth.example.com/?rd=", StringComparison.Ordinal), location);
            }
        }
    }

    [Fact]
    public async Task Safe_redirection_check_needs_a_signed_in_user()
    {
        using var response = await Host.PostJsonAsync("/api/checks/safe-redirection", new { uri = "https://app.example.com/" });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
