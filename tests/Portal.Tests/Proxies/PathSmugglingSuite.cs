using System.Net;
using System.Text;
using Portal.Tests.Support;

namespace Portal.Tests.Proxies;

/// <summary>
/// Spellings of a protected path that a portal and an app could read differently, sent byte for byte through each
/// front (nginx and Caddy with the shipped snippets, the gateway in-process and remote). Protected content here is
/// <c>/admin</c> on app.example.com (deny for everyone); <c>/public</c> is bypass. Whatever a front answers, no
/// request it forwards may be served from under <c>/admin</c> by any common kind of app (<see cref="AppRouter"/>):
/// RFC 3986 routers, servlet containers, IIS-like separators, or no normalisation at all.
/// </summary>
/// <summary>The spellings <see cref="PathSmugglingSuite{TFront}"/> sends.</summary>
public static class PathSmugglingSpellings
{
    /// <summary>Each reads as <c>/public</c> (bypass) to the canonical reading, and under <c>/admin</c> to some app.</summary>
    public static TheoryData<string> All => new()
    {
        "/admin/..;/public",
        "/admin/..;x=1/public",
        "/admin/.;/../public",
        "/admin/..%2Fpublic",
        "/admin/..%2fpublic",
        "/admin%2F..%2Fpublic",
        "/admin/..%5Cpublic",
        "/admin/..%5cpublic",
        "/admin\\..\\public",
        "/admin\\../public",
        "/admin//../public",
        "/admin///../../public",
        "/admin/%2e%2e/public",
        "/admin/%2E%2E/public",
        "/admin/.%2e/public",
        "/admin/%2e%2e;/public",
        "/admin/%2e%2e%2fpublic",
        "/admin/x/../../public",
        "/admin/../public",
        "/admin#/../public",
        "/public#/../admin",
        "/public/..;/admin",
        "/public/../admin",
        "/public%2F..%2Fadmin",
        "/admin;/../public",
        "/admin%3B/../public",
        "/%61dmin/..;/public",
        "/admin/..%252Fpublic",
        "/admin/..%c0%afpublic",
        "/admin/..%00/public",
    };
}

/// <summary>
/// Path smuggling through one front (see the remarks on the spellings above).
/// </summary>
public abstract class PathSmugglingSuite<TFront>(TFront front) : IClassFixture<TFront>
    where TFront : ProxyFront
{
    private TFront Front { get; } = front;

    [Theory]
    [MemberData(nameof(PathSmugglingSpellings.All), MemberType = typeof(PathSmugglingSpellings))]
    public async Task Anonymous_spelling_never_reaches_protected_content(string target) =>
        await AssertNeverServedFromAdminAsync(target, cookie: null);

    [Theory]
    [MemberData(nameof(PathSmugglingSpellings.All), MemberType = typeof(PathSmugglingSpellings))]
    public async Task Signed_in_spelling_never_reaches_content_its_rule_denies(string target) =>
        await AssertNeverServedFromAdminAsync(target, cookie: await LoginAsync());

    [Theory]
    [InlineData("/Admin/..;/public")]
    [InlineData("/ADMIN/..%2Fpublic")]
    [InlineData("/Public/../admin")]
    public async Task Case_variants_never_reach_protected_content(string target) =>
        await AssertNeverServedFromAdminAsync(target, cookie: await LoginAsync());

    [Fact]
    public async Task The_plain_protected_path_is_refused_and_the_public_one_served()
    {
        // Without these the suite could pass by refusing everything.
        var probe = Guid.NewGuid().ToString("N");
        var admin = await Front.SendRawAsync("app.example.com", Raw("/admin/x", probe, null));
        Assert.NotEqual(200, admin.StatusCode);
        Assert.Empty(Reached(probe));

        probe = Guid.NewGuid().ToString("N");
        var publicPage = await Front.SendRawAsync("app.example.com", Raw("/public/x", probe, null));
        Assert.Equal(200, publicPage.StatusCode);
        Assert.Equal("/public/x", Assert.Single(Reached(probe)).RawTarget);
    }

    private async Task AssertNeverServedFromAdminAsync(string target, string? cookie)
    {
        var probe = Guid.NewGuid().ToString("N");
        RawResponse response;
        try
        {
            response = await Front.SendRawAsync("app.example.com", Raw(target, probe, cookie));
        }
        catch (IOException)
        {
            // The front closed the connection on the request line: refused, nothing forwarded (checked below).
            response = new RawResponse(0, "");
        }
        foreach (var seen in Reached(probe))
        {
            Assert.False(AppRouter.AnyReadingUnder(seen.RawTarget, "/admin"),
                $"{target} answered {response.StatusCode} and reached the app as {seen.RawTarget}, which "
                + string.Join(", ", AppRouter.Readings(seen.RawTarget).Select(r => $"{r.Reading} reads as {r.Path}")));
        }
        Assert.True(response.StatusCode is 0 or >= 300 || Reached(probe).Count > 0, $"{target}: {response.StatusCode} without reaching the app");
    }

    private IReadOnlyList<UpstreamRequest> Reached(string probe) =>
        [.. Front.Upstream.Requests.Where(r => r.Single("X-Probe") == probe)];

    private async Task<string> LoginAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://auth.example.com/api/firstfactor")
        {
            Content = PortalTestHost.JsonBody(new { username = "john", password = PortalTestHost.Password, keepMeLoggedIn = false }),
        };
        using var response = await Front.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return PortalTestHost.SessionCookie(response) ?? throw new Xunit.Sdk.XunitException("no session cookie");
    }

    private static string Raw(string target, string probe, string? cookie)
    {
        var text = new StringBuilder($"GET {target} HTTP/1.1\r\nHost: app.example.com\r\nAccept: text/html\r\nX-Probe: {probe}\r\n");
        if (cookie is not null)
        {
            text.Append("Cookie: authelia_session=").Append(cookie).Append("\r\n");
        }
        return text.Append("Connection: close\r\n\r\n").ToString();
    }
}

[Trait("Category", "Integration")]
public sealed class NginxPathSmugglingTests(NginxFront front) : PathSmugglingSuite<NginxFront>(front);

[Trait("Category", "Integration")]
public sealed class CaddyPathSmugglingTests(CaddyFront front) : PathSmugglingSuite<CaddyFront>(front);

public sealed class GatewayPathSmugglingTests(GatewayFront front) : PathSmugglingSuite<GatewayFront>(front);

public sealed class RemoteGatewayPathSmugglingTests(RemoteGatewayFront front) : PathSmugglingSuite<RemoteGatewayFront>(front);
