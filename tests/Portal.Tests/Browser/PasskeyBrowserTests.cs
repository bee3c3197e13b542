using Microsoft.Playwright;
using Portal.Tests.Support;

namespace Portal.Tests.Browser;

/// <summary>
/// Passkey sign-in through the portal's pages in headless Chromium with a CDP virtual authenticator (resident keys,
/// user verification). With a credential present, Chromium resolves the sign-in page's conditional (autofill)
/// request by itself, so these tests exercise the autofill path end to end; the dropdown itself cannot be seen.
/// </summary>
[Trait("Category", "Integration")]
public sealed class PasskeyBrowserTests(BrowserFixture browsers) : TlsBrowserTest(browsers, WebAuthnYaml)
{
    private const string WebAuthnYaml = """
        webauthn:
          enable_passkey_login: true
        """;

    [Fact]
    public async Task A_passkey_from_autofill_signs_in_and_the_password_then_opens_a_two_factor_app()
    {
        var (context, page) = await OpenAsync("secure.example.com");
        await using var _ = context;
        await Journeys.AddAuthenticatorAsync(context, page, "internal");

        // Register a passkey: password, then settings behind the emailed code. The sign-in page offers passkeys
        // (its autofill request finds none yet and ends quietly).
        await page.GotoAsync("https://auth.example.com/");
        await Assertions.Expect(page.Locator("#passkey")).ToBeVisibleAsync();
        Assert.Equal("username webauthn", await page.GetByLabel("Username").GetAttributeAsync("autocomplete"));
        await Journeys.SignInAndAddKeyAsync(page, Portal, "Laptop");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        // Settings shows the name too: wait for the sign-in page itself, or the next navigation races the sign-out.
        await page.WaitForURLAsync("https://auth.example.com/");

        // Back on sign-in, the autofill request resolves with the passkey: signed in with one factor, no password.
        await Assertions.Expect(page.Locator("#who")).ToHaveTextAsync("john", new() { Timeout = 15_000 });
        await BrowserFixture.ScreenshotAsync(page, "passkey-signed-in");

        // A two_factor app sends the passkey session to the password step, then lets it in.
        await page.GotoAsync("https://secure.example.com/vault");
        await page.WaitForURLAsync("https://auth.example.com/second-factor?**");
        await Assertions.Expect(page.Locator("#password-step")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#use-key")).ToBeHiddenAsync();
        await BrowserFixture.ScreenshotAsync(page, "passkey-password-step");
        await BrowserFixture.AssertAccessibleAsync(page);
        await page.GetByLabel("Password").FillAsync(PortalTestHost.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await page.WaitForURLAsync("https://secure.example.com/vault");
        Assert.Equal("Hello john", await page.Locator("#app").TextContentAsync());
    }
}
