using Microsoft.Playwright;
using Portal.Tests.Support;

namespace Portal.Tests.Browser;

/// <summary>
/// Passkey sign-in through the portal's pages in headless Chromium with a CDP virtual authenticator (resident keys,
/// user verification). With a credential present, Chromium resolves the sign-in page's conditional (autofill)
/// request by itself, so these tests exercise the autofill path end to end; the dropdown itself cannot be seen.
/// </summary>
[Collection("browser")]
public sealed class PasskeyBrowserTests(BrowserFixture browsers) : IAsyncLifetime
{
    private TlsPortal _portal = null!;

    public async Task InitializeAsync() => _portal = await TlsPortal.StartAsync("""
        webauthn:
          enable_passkey_login: true
        """);

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    [Fact]
    public async Task A_passkey_from_autofill_signs_in_and_the_password_then_opens_a_two_factor_app()
    {
        var browser = await browsers.BrowserMappingAsync(_portal.Port, "auth.example.com");
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { IgnoreHTTPSErrors = true });
        var page = await context.NewPageAsync();
        await page.RouteAsync("https://secure.example.com/**", route => ForwardAuthRoute.FulfillAsync(route, _portal.Host, _portal.ProxyClient));
        var cdp = await context.NewCDPSessionAsync(page);
        await cdp.SendAsync("WebAuthn.enable", new Dictionary<string, object> { ["enableUI"] = false });
        await cdp.SendAsync("WebAuthn.addVirtualAuthenticator", new Dictionary<string, object>
        {
            ["options"] = new Dictionary<string, object>
            {
                ["protocol"] = "ctap2", ["ctap2Version"] = "ctap2_1", ["transport"] = "internal", ["hasResidentKey"] = true,
                ["hasUserVerification"] = true, ["isUserVerified"] = true, ["automaticPresenceSimulation"] = true,
            },
        });

        // Register a passkey: password, then settings behind the emailed code. The sign-in page offers passkeys
        // (its autofill request finds none yet and ends quietly).
        await page.GotoAsync("https://auth.example.com/");
        await Assertions.Expect(page.Locator("#passkey")).ToBeVisibleAsync();
        Assert.Equal("username webauthn", await page.GetByLabel("Username").GetAttributeAsync("autocomplete"));
        await page.GetByLabel("Username").FillAsync("john");
        await page.GetByLabel("Password").FillAsync(PortalTestHost.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("#who")).ToHaveTextAsync("john");
        await page.GotoAsync("https://auth.example.com/settings");
        await page.GetByLabel("Name for a new key").FillAsync("Laptop");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add security key" }).ClickAsync();
        var code = SmtpPortal.CodeFrom(await _portal.Smtp.WaitForMailAsync("john@example.com"));
        await page.GetByLabel("Code from your email").FillAsync(code);
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
        await Assertions.Expect(page.Locator("#credentials li strong")).ToHaveTextAsync("Laptop", new() { Timeout = 15_000 });
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

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
