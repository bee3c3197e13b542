using Microsoft.Playwright;
using Portal.Tests.Support;

namespace Portal.Tests.Browser;

/// <summary>
/// The sign-in page in a real headless Chromium, against a real portal over TLS at https://auth.example.com.
/// app.example.com is played by a Playwright route that does what nginx/Caddy do: ask the portal's forward-auth
/// endpoint with the browser's cookies, then either show the app or relay the portal's redirect.
/// </summary>
[Trait("Category", "Integration")]
public sealed class LoginPageBrowserTests(BrowserFixture browsers) : TlsBrowserTest(browsers)
{
    [Fact]
    public async Task An_anonymous_visit_to_a_protected_app_lands_on_sign_in_and_returns_to_the_app_after_the_password()
    {
        var (context, page) = await OpenAsync("app.example.com");
        await using var _ = context;
        await page.GotoAsync("https://app.example.com/notes?id=7");
        Assert.StartsWith("https://auth.example.com/?rd=https%3A%2F%2Fapp.example.com%2Fnotes%3Fid%3D7", page.Url, StringComparison.Ordinal);
        await BrowserFixture.ScreenshotAsync(page, "login-page");
        await BrowserFixture.AssertAccessibleAsync(page);

        await Journeys.SignInWithPasswordAsync(page);

        await page.WaitForURLAsync("https://app.example.com/notes?id=7");
        Assert.Equal("Hello john", await page.Locator("#app").TextContentAsync());
    }

    [Fact]
    public async Task A_wrong_password_is_announced_on_the_page_and_the_user_stays_on_sign_in()
    {
        var (context, page) = await OpenAsync("app.example.com");
        await using var _ = context;
        await page.GotoAsync("https://auth.example.com/?rd=https%3A%2F%2Fapp.example.com%2F");
        // Passkey login is off in this configuration: its button must not be offered.
        await Assertions.Expect(page.Locator("#passkey")).ToBeHiddenAsync();
        await page.GetByLabel("Username").FillAsync("john");
        await page.GetByLabel("Password").FillAsync("not-the-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();

        var status = page.Locator("#status");
        await Assertions.Expect(status).ToHaveTextAsync("Incorrect username or password.", new() { Timeout = 10_000 });
        Assert.Equal("polite", await status.GetAttributeAsync("aria-live"));
        Assert.StartsWith("https://auth.example.com/", page.Url, StringComparison.Ordinal);
        await BrowserFixture.ScreenshotAsync(page, "login-wrong-password");
        await BrowserFixture.AssertAccessibleAsync(page);
    }

    [Fact]
    public async Task On_a_phone_in_dark_mode_the_pages_fit_the_screen_and_pass_the_accessibility_check()
    {
        var browser = await Browsers.BrowserMappingAsync(Portal.Port, "auth.example.com");
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            IgnoreHTTPSErrors = true,
            ViewportSize = new ViewportSize { Width = 360, Height = 640 },
            IsMobile = true,
            HasTouch = true,
            ColorScheme = ColorScheme.Dark,
        });
        var page = await context.NewPageAsync();

        foreach (var (path, name) in new[] { ("/?rd=https%3A%2F%2Fapp.example.com%2F", "login-phone-dark"), ("/?rd=https%3A%2F%2Fevil.example.org%2F", "bad-link-phone-dark") })
        {
            await page.GotoAsync("https://auth.example.com" + path);
            await Assertions.Expect(page.Locator("h1")).ToBeVisibleAsync();
            // Dark styles are in force (the axe contrast check below is then about the dark palette).
            Assert.Equal("rgb(20, 23, 26)", await page.EvaluateAsync<string>("getComputedStyle(document.body).backgroundColor"));
            Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), $"{path} scrolls sideways on a phone");
            await BrowserFixture.ScreenshotAsync(page, name);
            await BrowserFixture.AssertAccessibleAsync(page);
        }
    }
}
