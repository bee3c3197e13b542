using Portal.Tests.Support;

namespace Portal.Tests.Browser;

/// <summary>
/// <c>webauthn.experimental_enable_passkey_uv_two_factors</c> through the pages, in headless Chromium: a passkey whose
/// authenticator verified the user (fingerprint, PIN) opens a two_factor app by itself, with no password step.
/// </summary>
[Trait("Category", "Integration")]
public sealed class PasskeyUvBrowserTests(BrowserFixture browsers) : TlsBrowserTest(browsers, WebAuthnYaml)
{
    private const string WebAuthnYaml = """
        webauthn:
          enable_passkey_login: true
          experimental_enable_passkey_uv_two_factors: true
          selection_criteria:
            user_verification: 'required'
        """;

    [Fact]
    public async Task With_the_uv_switch_a_user_verified_passkey_alone_opens_a_two_factor_app()
    {
        var (context, page) = await OpenAsync("secure.example.com");
        await using var _ = context;
        await Journeys.AddAuthenticatorAsync(context, page, "internal");

        await page.GotoAsync("https://auth.example.com/");
        await Journeys.SignInAndAddKeyAsync(page, Portal, "Phone");

        // A fresh visit to the two_factor app: the passkey from autofill is all it takes.
        await context.ClearCookiesAsync();
        await page.GotoAsync("https://secure.example.com/vault");
        await page.WaitForURLAsync("https://secure.example.com/vault", new() { Timeout = 15_000 });
        Assert.Equal("Hello john", await page.Locator("#app").TextContentAsync());
        await BrowserFixture.ScreenshotAsync(page, "passkey-uv-two-factor-app");
    }
}
