using Microsoft.Playwright;
using Portal.Tests.Support;

namespace Portal.Tests.Browser;

/// <summary>
/// The passkey offer after a password sign-in, in headless Chromium with a CDP virtual authenticator: accepted, it
/// creates a passkey behind the emailed code and carries on to the app; that passkey then signs the user in.
/// </summary>
[Trait("Category", "Integration")]
public sealed class PasskeyEnrollmentBrowserTests(BrowserFixture browsers) : TlsBrowserTest(browsers, WebAuthnYaml)
{
    private const string WebAuthnYaml = """
        webauthn:
          enable_passkey_login: true
          passkey_enrollment: offer
        """;

    [Fact]
    public async Task The_offer_after_a_password_sign_in_creates_a_passkey_that_then_signs_the_user_in()
    {
        var (context, page) = await OpenAsync("app.example.com");
        await using var _ = context;
        await Journeys.AddAuthenticatorAsync(context, page, "internal");

        await page.GotoAsync("https://app.example.com/notes");
        await Journeys.SignInWithPasswordAsync(page);

        await Assertions.Expect(page.Locator("#enroll")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "passkey-offer");
        await BrowserFixture.AssertAccessibleAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create a passkey" }).ClickAsync();
        await page.WaitForURLAsync("https://auth.example.com/settings?**");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create a passkey" }).ClickAsync();
        var code = SmtpPortal.CodeFrom(await Portal.Smtp.WaitForMailAsync("john@example.com"));
        await page.GetByLabel("Code from your email").FillAsync(code);
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
        // Created, then on to the app the user was going to.
        await page.WaitForURLAsync("https://app.example.com/notes", new() { Timeout = 15_000 });
        Assert.Equal("Hello john", await page.Locator("#app").TextContentAsync());

        // A fresh visit without the session: the passkey (offered through autofill) signs in, no password.
        await context.ClearCookiesAsync();
        await page.GotoAsync("https://app.example.com/notes");
        await page.WaitForURLAsync("https://app.example.com/notes", new() { Timeout = 15_000 });
        Assert.Equal("Hello john", await page.Locator("#app").TextContentAsync());
    }
}
