using Microsoft.Playwright;
using Portal.Tests.Support;

namespace Portal.Tests.Browser;

/// <summary>Managing keys on the settings page, signing out, and a browser without the key, in headless Chromium.</summary>
[Trait("Category", "Integration")]
public sealed class CredentialManagementBrowserTests(BrowserFixture browsers) : TlsBrowserTest(browsers)
{
    [Fact]
    public async Task Keys_are_renamed_and_deleted_on_settings_and_signing_out_locks_the_app_again()
    {
        var (context, page) = await OpenAsync("secure.example.com");
        await using var _ = context;
        var blue = await Journeys.AddAuthenticatorAsync(context, page, "usb");
        await page.GotoAsync("https://auth.example.com/");
        await Journeys.SignInAndAddKeyAsync(page, Portal, "Blue key");

        // The same key again is refused by the browser (the portal lists it as excluded), with a message that says so.
        await page.GetByLabel("Name for a new key").FillAsync("Blue again");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add security key" }).ClickAsync();
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("This security key is already registered to your account.");

        // A second device: the blue key is unplugged, a green one plugged in. The elevation lasts: no new code.
        var cdp = await context.NewCDPSessionAsync(page);
        await cdp.SendAsync("WebAuthn.removeVirtualAuthenticator", new Dictionary<string, object> { ["authenticatorId"] = blue });
        await Journeys.AddAuthenticatorAsync(context, page, "usb");
        await Journeys.AddKeyOnSettingsAsync(page, Portal, "Green key", expectCode: false);
        await Assertions.Expect(page.Locator("#credentials li strong")).ToHaveTextAsync(["Blue key", "Green key"]);

        page.Dialog += async (_, dialog) =>
        {
            if (dialog.Type == "prompt")
            {
                await dialog.AcceptAsync("Work key");
            }
            else
            {
                await dialog.AcceptAsync();
            }
        };
        await page.GetByRole(AriaRole.Button, new() { Name = "Rename Green key" }).ClickAsync();
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("Renamed to \"Work key\".");
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete Blue key" }).ClickAsync();
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("Deleted \"Blue key\".");
        await Assertions.Expect(page.Locator("#credentials li strong")).ToHaveTextAsync(["Work key"]);
        await BrowserFixture.ScreenshotAsync(page, "settings-renamed-deleted");
        await BrowserFixture.AssertAccessibleAsync(page);

        // With the remaining (green) key the two_factor app opens; after signing out it sends the browser to sign in again.
        await page.GotoAsync("https://secure.example.com/vault");
        await page.WaitForURLAsync("https://auth.example.com/second-factor?**");
        await page.GetByRole(AriaRole.Button, new() { Name = "Use security key" }).ClickAsync();
        await page.WaitForURLAsync("https://secure.example.com/vault");
        await page.GotoAsync("https://auth.example.com/second-factor");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync("https://auth.example.com/");
        await page.GotoAsync("https://secure.example.com/vault");
        await page.WaitForURLAsync("https://auth.example.com/?rd=**");
        await Assertions.Expect(page.GetByLabel("Password")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_browser_without_the_registered_key_gets_a_message_it_can_act_on()
    {
        // The key lives in the first browser's authenticator only.
        var (first, firstPage) = await OpenAsync("secure.example.com");
        await using (first)
        {
            await Journeys.AddAuthenticatorAsync(first, firstPage, "usb");
            await firstPage.GotoAsync("https://auth.example.com/");
            await Journeys.SignInAndAddKeyAsync(firstPage, Portal, "Desk key");
        }

        var (second, page) = await OpenAsync("secure.example.com");
        await using var _ = second;
        await Journeys.AddAuthenticatorAsync(second, page, "usb");
        await page.GotoAsync("https://secure.example.com/vault");
        await Journeys.SignInWithPasswordAsync(page);
        await page.WaitForURLAsync("https://auth.example.com/second-factor?**");
        await page.GetByRole(AriaRole.Button, new() { Name = "Use security key" }).ClickAsync();

        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync(
            "The security key request was cancelled or timed out. Try again.", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#status")).ToHaveClassAsync("error");
        Assert.StartsWith("https://auth.example.com/second-factor", page.Url, StringComparison.Ordinal);
        await BrowserFixture.ScreenshotAsync(page, "second-factor-unknown-key");
    }
}
