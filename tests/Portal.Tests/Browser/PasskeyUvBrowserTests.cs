using Microsoft.Playwright;
using Portal.Tests.Support;

namespace Portal.Tests.Browser;

/// <summary>
/// <c>webauthn.experimental_enable_passkey_uv_two_factors</c> through the pages, in headless Chromium: a passkey whose
/// authenticator verified the user (fingerprint, PIN) opens a two_factor app by itself, with no password step.
/// </summary>
[Collection("browser")]
public sealed class PasskeyUvBrowserTests(BrowserFixture browsers) : IAsyncLifetime
{
    private TlsPortal _portal = null!;

    public async Task InitializeAsync() => _portal = await TlsPortal.StartAsync("""
        webauthn:
          enable_passkey_login: true
          experimental_enable_passkey_uv_two_factors: true
          selection_criteria:
            user_verification: 'required'
        """);

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    [Fact]
    public async Task With_the_uv_switch_a_user_verified_passkey_alone_opens_a_two_factor_app()
    {
        var (context, page) = await Journeys.OpenAsync(browsers, _portal, "secure.example.com");
        await using var _ = context;
        await Journeys.AddAuthenticatorAsync(context, page, "internal");

        await page.GotoAsync("https://auth.example.com/");
        await Journeys.SignInWithPasswordAsync(page);
        await Assertions.Expect(page.Locator("#who")).ToHaveTextAsync("john");
        await page.GotoAsync("https://auth.example.com/settings");
        await Journeys.AddKeyOnSettingsAsync(page, _portal, "Phone");

        // A fresh visit to the two_factor app: the passkey from autofill is all it takes.
        await context.ClearCookiesAsync();
        await page.GotoAsync("https://secure.example.com/vault");
        await page.WaitForURLAsync("https://secure.example.com/vault", new() { Timeout = 15_000 });
        Assert.Equal("Hello john", await page.Locator("#app").TextContentAsync());
        await BrowserFixture.ScreenshotAsync(page, "passkey-uv-two-factor-app");
    }
}
