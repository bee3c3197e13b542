using Microsoft.Playwright;
using Portal.Tests.Support;

namespace Portal.Tests.Browser;

/// <summary>Recovery codes in headless Chromium: made on the settings page, then one used on the second-factor page.</summary>
[Trait("Category", "Integration")]
public sealed class RecoveryCodeBrowserTests(BrowserFixture browsers) : TlsBrowserTest(browsers)
{
    [Fact]
    public async Task A_user_saves_recovery_codes_in_settings_and_reaches_a_two_factor_app_with_one_instead_of_the_key()
    {
        var (context, page) = await OpenAsync("secure.example.com");
        await using var _ = context;
        await Journeys.AddAuthenticatorAsync(context, page, "usb");
        await page.GotoAsync("https://auth.example.com/");
        await Journeys.SignInAndAddKeyAsync(page, Portal, "Desk key");
        await Portal.Smtp.WaitForMailAsync("john@example.com"); // "Second Factor Method Added"

        // Still elevated from adding the key: the codes come at once, shown this one time.
        await page.GetByRole(AriaRole.Button, new() { Name = "Generate recovery codes" }).ClickAsync();
        await Assertions.Expect(page.Locator("#recovery-codes li")).ToHaveCountAsync(10);
        await Assertions.Expect(page.Locator("#recovery-count")).ToContainTextAsync("You have 10 unused recovery codes");
        // Read now: the test server hands back unread mail in no particular order.
        Assert.Contains("10 new recovery codes", (await Portal.Smtp.WaitForMailAsync("john@example.com")).Text, StringComparison.Ordinal);
        await BrowserFixture.AssertAccessibleAsync(page);
        await BrowserFixture.ScreenshotAsync(page, "settings-recovery-codes");
        var code = (await page.Locator("#recovery-codes li").First.TextContentAsync())!.Trim();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("https://auth.example.com/");

        // The key is "lost": the recovery code stands in for it, once.
        await page.GotoAsync("https://secure.example.com/vault");
        await Journeys.SignInWithPasswordAsync(page);
        await page.WaitForURLAsync("https://auth.example.com/second-factor?**");
        await page.GetByRole(AriaRole.Button, new() { Name = "Use a recovery code" }).ClickAsync();
        await BrowserFixture.AssertAccessibleAsync(page);
        await page.GetByLabel("Recovery code").FillAsync(code.ToLowerInvariant());
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await page.WaitForURLAsync("https://secure.example.com/vault");
        Assert.Equal("Hello john", await page.Locator("#app").TextContentAsync());
        Assert.Contains("9 left", (await Portal.Smtp.WaitForMailAsync("john@example.com")).Text, StringComparison.Ordinal);
    }
}
