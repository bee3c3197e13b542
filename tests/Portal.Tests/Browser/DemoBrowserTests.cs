using Microsoft.Playwright;
using Portal.Demo;
using Portal.Tests.Demo;
using Portal.Tests.Support;

namespace Portal.Tests.Browser;

/// <summary>
/// The README's "Try it" in a real headless Chromium with no host mapping and no TLS: the browser resolves the demo's
/// *.localhost names itself, keeps the portal's Secure cookie over plain http, and a newcomer gets from the address
/// the README gives to the one-factor page by signing in on the real page.
/// </summary>
[Collection("browser")]
[Trait("Category", "Integration")]
public sealed class DemoBrowserTests(BrowserFixture browsers, DemoFixture demo) : IClassFixture<DemoFixture>
{
    private DemoHost Demo => demo.Demo;

    [Fact]
    public async Task A_newcomer_follows_the_readme_from_localhost_through_one_factor_a_new_key_and_two_factor_to_a_passkey_sign_in()
    {
        var browser = await browsers.UnmappedBrowserAsync();
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await Journeys.AddAuthenticatorAsync(context, page, "usb");

        await page.GotoAsync($"http://localhost:{Demo.Port}/");
        Assert.Equal(Demo.AppUrl, page.Url);
        await Assertions.Expect(page.Locator(".anon")).ToContainTextAsync("Not signed in");
        await BrowserFixture.ScreenshotAsync(page, "demo-home");
        await BrowserFixture.AssertAccessibleAsync(page);

        await page.GetByRole(AriaRole.Link, new() { Name = "One-factor page" }).ClickAsync();
        await page.WaitForURLAsync($"{Demo.PortalUrl}?rd=**");
        await BrowserFixture.ScreenshotAsync(page, "demo-sign-in");
        await Journeys.SignInWithPasswordAsync(page, "demo", DemoHost.Password);

        await page.WaitForURLAsync($"{Demo.AppUrl}one-factor");
        Assert.Equal("demo", await page.Locator("#remote-user").TextContentAsync());
        await BrowserFixture.ScreenshotAsync(page, "demo-one-factor");
        await BrowserFixture.AssertAccessibleAsync(page);
        var cookie = Assert.Single(await context.CookiesAsync(), c => c.Name == "authelia_session");
        Assert.Equal(".demo.localhost", cookie.Domain);
        Assert.True(cookie.Secure);

        await page.GetByRole(AriaRole.Link, new() { Name = "Two-factor page" }).ClickAsync();
        await page.WaitForURLAsync($"{Demo.PortalUrl}second-factor?rd=**");
        await BrowserFixture.ScreenshotAsync(page, "demo-second-factor");

        // README step 4: settings, the one-time code from the file notifier, the new key, and the two-factor page.
        await page.GetByRole(AriaRole.Link, new() { Name = "Add one in your settings" }).ClickAsync();
        await page.GetByLabel("Name for a new key").FillAsync("My key");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add security key" }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Code from your email")).ToBeVisibleAsync();
        await page.GetByLabel("Code from your email").FillAsync(SmtpPortal.CodeIn(await File.ReadAllTextAsync(Demo.NotificationFile)));
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("Added \"My key\".", new() { Timeout = 15_000 });
        await page.GetByRole(AriaRole.Link, new() { Name = "Back to the app" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Use security key" }).ClickAsync();
        await page.WaitForURLAsync($"{Demo.AppUrl}two-factor");
        Assert.Equal("demo", await page.Locator("#remote-user").TextContentAsync());
        await BrowserFixture.ScreenshotAsync(page, "demo-two-factor");

        // README step 5: signed out, "Sign in with a passkey" with that key (a USB key: Chromium's autofill offers
        // only platform passkeys, so the button is the way here). One factor: the two-factor page asks for the password.
        await page.GotoAsync(Demo.PortalUrl);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Password")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with a passkey" }).ClickAsync();
        await Assertions.Expect(page.Locator("#who")).ToHaveTextAsync("demo", new() { Timeout = 15_000 });
        await page.GotoAsync($"{Demo.AppUrl}two-factor");
        await page.WaitForURLAsync($"{Demo.PortalUrl}second-factor?rd=**");
        await page.GetByLabel("Password").FillAsync(DemoHost.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await page.WaitForURLAsync($"{Demo.AppUrl}two-factor");
        Assert.Equal("demo", await page.Locator("#remote-user").TextContentAsync());
    }
}
