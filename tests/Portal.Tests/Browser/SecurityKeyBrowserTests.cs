using Microsoft.Playwright;
using Portal.Tests.Support;

namespace Portal.Tests.Browser;

/// <summary>
/// A security key registered and used through the portal's own pages, in headless Chromium with a CDP virtual
/// authenticator: password, the emailed code (read from a real SMTP server), registration, then the second factor
/// that opens a two_factor app.
/// </summary>
[Trait("Category", "Integration")]
public sealed class SecurityKeyBrowserTests(BrowserFixture browsers) : TlsBrowserTest(browsers)
{
    [Fact]
    public async Task A_user_registers_a_security_key_behind_the_emailed_code_and_uses_it_to_reach_a_two_factor_app()
    {
        var (context, page) = await OpenAsync("secure.example.com");
        await using var _ = context;
        await Journeys.AddAuthenticatorAsync(context, page, "usb");

        // The two_factor app sends an anonymous visitor to sign in; the password alone is not enough for it.
        await page.GotoAsync("https://secure.example.com/vault");
        await Journeys.SignInWithPasswordAsync(page);
        await page.WaitForURLAsync("https://auth.example.com/second-factor?**");
        await Assertions.Expect(page.Locator("#no-key")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "second-factor-no-key");
        await BrowserFixture.AssertAccessibleAsync(page);

        // Settings: adding a key first asks for the code the portal emails.
        await page.Locator("#settings-link").ClickAsync();
        await page.WaitForURLAsync("https://auth.example.com/settings?**");
        await page.GetByLabel("Name for a new key").FillAsync("Desk key");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add security key" }).ClickAsync();
        var code = SmtpPortal.CodeFrom(await Portal.Smtp.WaitForMailAsync("john@example.com"));
        await BrowserFixture.ScreenshotAsync(page, "settings-code-prompt");
        await BrowserFixture.AssertAccessibleAsync(page);
        await page.GetByLabel("Code from your email").FillAsync(code);
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
        await Assertions.Expect(page.Locator("#credentials li strong")).ToHaveTextAsync("Desk key", new() { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("Added \"Desk key\".");
        await BrowserFixture.ScreenshotAsync(page, "settings-key-added");
        await BrowserFixture.AssertAccessibleAsync(page);

        // Back to the second factor: the new key opens the two_factor app.
        await page.Locator("#back").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Use security key" }).ClickAsync();
        await page.WaitForURLAsync("https://secure.example.com/vault");
        Assert.Equal("Hello john", await page.Locator("#app").TextContentAsync());
    }
}
