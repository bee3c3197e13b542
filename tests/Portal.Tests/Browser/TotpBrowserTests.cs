using Microsoft.Playwright;
using Portal.Tests.Support;
using Portal.Totp;

namespace Portal.Tests.Browser;

/// <summary>
/// A one-time password app added and used through the portal's own pages in headless Chromium: the password, the
/// emailed code (real SMTP), the QR code and text secret on the settings page, a first code to activate it, then a
/// code on the second-factor page that opens a two_factor app.
/// </summary>
[Trait("Category", "Integration")]
public sealed class TotpBrowserTests(BrowserFixture browsers) : TlsBrowserTest(browsers)
{
    [Fact]
    public async Task A_user_adds_a_totp_app_behind_the_emailed_code_and_uses_its_code_to_reach_a_two_factor_app()
    {
        var (context, page) = await OpenAsync("secure.example.com");
        await using var _ = context;

        await page.GotoAsync("https://secure.example.com/vault");
        await Journeys.SignInWithPasswordAsync(page);
        await page.WaitForURLAsync("https://auth.example.com/second-factor?**");
        await Assertions.Expect(page.Locator("#no-key")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#totp-form")).ToBeHiddenAsync();

        // Settings: adding the app first asks for the code the portal emails, then shows the secret.
        await page.Locator("#settings-link").ClickAsync();
        await page.WaitForURLAsync("https://auth.example.com/settings?**");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a one-time password app" }).ClickAsync();
        var emailed = SmtpPortal.CodeFrom(await Portal.Smtp.WaitForMailAsync("john@example.com"));
        await page.GetByLabel("Code from your email").FillAsync(emailed);
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
        await Assertions.Expect(page.Locator("#totp-register")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("#totp-qr")).ToHaveAttributeAsync("src", new System.Text.RegularExpressions.Regex("^data:image/png;base64,"));
        await BrowserFixture.ScreenshotAsync(page, "settings-totp-qr");
        await BrowserFixture.AssertAccessibleAsync(page);
        var secret = TotpCodes.FromBase32(await page.Locator("#totp-secret").TextContentAsync())!;
        var now = DateTimeOffset.UtcNow;
        await page.GetByLabel("First code the app shows").FillAsync(TotpCodes.Compute(secret, "SHA1", 6, 30, now));
        await page.GetByRole(AriaRole.Button, new() { Name = "Activate" }).ClickAsync();
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("One-time password app added.");
        await Assertions.Expect(page.Locator("#totp-remove")).ToBeVisibleAsync();
        await BrowserFixture.AssertAccessibleAsync(page);

        // Back to the second factor: the app is offered, and its next code (the first one is used) opens the app.
        await page.Locator("#back").ClickAsync();
        await Assertions.Expect(page.Locator("#totp-form")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#no-key")).ToBeHiddenAsync();
        await BrowserFixture.ScreenshotAsync(page, "second-factor-totp");
        await BrowserFixture.AssertAccessibleAsync(page);
        await page.GetByLabel("One-time code from your app").FillAsync(TotpCodes.Compute(secret, "SHA1", 6, 30, now.AddSeconds(30)));
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify code" }).ClickAsync();
        await page.WaitForURLAsync("https://secure.example.com/vault");
        Assert.Equal("Hello john", await page.Locator("#app").TextContentAsync());
    }
}
