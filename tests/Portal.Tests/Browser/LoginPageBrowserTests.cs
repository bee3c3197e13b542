using System.Net;
using Microsoft.Playwright;
using Portal.Tests.Storage;
using Portal.Tests.Support;

namespace Portal.Tests.Browser;

/// <summary>
/// The sign-in page in a real headless Chromium, against a real portal over TLS at https://auth.example.com.
/// app.example.com is played by a Playwright route that does what nginx/Caddy do: ask the portal's forward-auth
/// endpoint with the browser's cookies, then either show the app or relay the portal's redirect.
/// </summary>
[Collection("browser")]
public sealed class LoginPageBrowserTests(BrowserFixture browsers) : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _certs = new();
    private PortalTestHost _portal = null!;
    private HttpClient _proxy = null!;

    public async Task InitializeAsync()
    {
        var (cert, key) = TestCertificates.WritePem(_certs.Path);
        _portal = await PortalTestHost.StartAsync($"""
            server:
              tls:
                certificate: '{cert}'
                key: '{key}'
            """);
        _proxy = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            SslOptions = { RemoteCertificateValidationCallback = TestCertificates.TrustOnly(cert) },
        });
    }

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    public void Dispose()
    {
        _proxy.Dispose();
        _certs.Dispose();
    }

    private async Task<IPage> NewPageAsync()
    {
        var browser = await browsers.BrowserMappingAsync(_portal.BaseAddress.Port, "auth.example.com");
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { IgnoreHTTPSErrors = true });
        var page = await context.NewPageAsync();
        await page.RouteAsync("https://app.example.com/**", ProtectedAppAsync);
        return page;
    }

    /// <summary>A forward-auth proxy in front of app.example.com, as nginx or Caddy would be.</summary>
    private async Task ProtectedAppAsync(IRoute route)
    {
        var target = new Uri(route.Request.Url);
        using var authz = new HttpRequestMessage(HttpMethod.Get, new Uri(_portal.BaseAddress, "/api/authz/forward-auth"));
        authz.Headers.Add("X-Forwarded-Proto", target.Scheme);
        authz.Headers.Add("X-Forwarded-Host", target.Authority);
        authz.Headers.Add("X-Forwarded-Uri", target.PathAndQuery);
        authz.Headers.Add("X-Forwarded-Method", route.Request.Method);
        authz.Headers.TryAddWithoutValidation("Accept", "text/html");
        if ((await route.Request.AllHeadersAsync()).TryGetValue("cookie", out var cookie))
        {
            authz.Headers.Add("Cookie", cookie);
        }
        using var reply = await _proxy.SendAsync(authz);
        if (reply.StatusCode == HttpStatusCode.OK)
        {
            var user = reply.Headers.GetValues("Remote-User").Single();
            await route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = "text/html", Body = $"<h1 id=app>Hello {user}</h1>" });
            return;
        }
        var headers = new Dictionary<string, string>();
        if (reply.Headers.Location is { } location)
        {
            headers["Location"] = location.ToString();
        }
        await route.FulfillAsync(new RouteFulfillOptions { Status = (int)reply.StatusCode, Headers = headers, Body = "" });
    }

    [Fact]
    public async Task An_anonymous_visit_to_a_protected_app_lands_on_sign_in_and_returns_to_the_app_after_the_password()
    {
        var page = await NewPageAsync();
        await page.GotoAsync("https://app.example.com/notes?id=7");
        Assert.StartsWith("https://auth.example.com/?rd=https%3A%2F%2Fapp.example.com%2Fnotes%3Fid%3D7", page.Url, StringComparison.Ordinal);
        await BrowserFixture.ScreenshotAsync(page, "login-page");

        await page.GetByLabel("Username").FillAsync("john");
        await page.GetByLabel("Password").FillAsync(PortalTestHost.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await page.WaitForURLAsync("https://app.example.com/notes?id=7");
        Assert.Equal("Hello john", await page.Locator("#app").TextContentAsync());
    }

    [Fact]
    public async Task A_wrong_password_is_announced_on_the_page_and_the_user_stays_on_sign_in()
    {
        var page = await NewPageAsync();
        await page.GotoAsync("https://auth.example.com/?rd=https%3A%2F%2Fapp.example.com%2F");
        await page.GetByLabel("Username").FillAsync("john");
        await page.GetByLabel("Password").FillAsync("not-the-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        var status = page.Locator("#status");
        await Assertions.Expect(status).ToHaveTextAsync("Incorrect username or password.", new() { Timeout = 10_000 });
        Assert.Equal("polite", await status.GetAttributeAsync("aria-live"));
        Assert.StartsWith("https://auth.example.com/", page.Url, StringComparison.Ordinal);
        await BrowserFixture.ScreenshotAsync(page, "login-wrong-password");
    }
}
