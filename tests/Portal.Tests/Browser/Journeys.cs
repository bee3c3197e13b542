using Microsoft.Playwright;
using Portal.Tests.Support;

namespace Portal.Tests.Browser;

/// <summary>Steps the browser tests share, done through the portal's pages as a person would.</summary>
internal static class Journeys
{
    /// <summary>
    /// A fresh browser context (its own cookies and authenticators) on a page that reaches the portal at
    /// https://auth.example.com and the apps at <paramref name="appHosts"/> through <see cref="ForwardAuthRoute"/>.
    /// Dispose the context.
    /// </summary>
    public static async Task<(IBrowserContext Context, IPage Page)> OpenAsync(BrowserFixture browsers, TlsPortal portal, params string[] appHosts)
    {
        var browser = await browsers.BrowserMappingAsync(portal.Port, "auth.example.com");
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { IgnoreHTTPSErrors = true });
        var page = await context.NewPageAsync();
        foreach (var host in appHosts)
        {
            await page.RouteAsync($"https://{host}/**", route => ForwardAuthRoute.FulfillAsync(route, portal.Host, portal.ProxyClient));
        }
        return (context, page);
    }

    /// <summary>
    /// A CDP virtual authenticator on <paramref name="page"/>'s tab: CTAP 2.1, resident keys, user verification, and
    /// presence answered without a human. <paramref name="transport"/> "usb" is a security key, "internal" a platform
    /// authenticator.
    /// </summary>
    public static async Task<string> AddAuthenticatorAsync(IBrowserContext context, IPage page, string transport = "internal")
    {
        var cdp = await context.NewCDPSessionAsync(page);
        await cdp.SendAsync("WebAuthn.enable", new Dictionary<string, object> { ["enableUI"] = false });
        var added = await cdp.SendAsync("WebAuthn.addVirtualAuthenticator", new Dictionary<string, object>
        {
            ["options"] = new Dictionary<string, object>
            {
                ["protocol"] = "ctap2", ["ctap2Version"] = "ctap2_1", ["transport"] = transport, ["hasResidentKey"] = true,
                ["hasUserVerification"] = true, ["isUserVerified"] = true, ["automaticPresenceSimulation"] = true,
            },
        });
        return added!.Value.GetProperty("authenticatorId").GetString()!;
    }

    /// <summary>Signs in with the password on the sign-in page the browser is on.</summary>
    public static async Task SignInWithPasswordAsync(IPage page, string username = "john", string password = PortalTestHost.Password)
    {
        await page.GetByLabel("Username").FillAsync(username);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
    }

    /// <summary>
    /// On the sign-in page: signs in as john with the password, then adds a key named <paramref name="name"/> on the
    /// settings page behind the emailed code.
    /// </summary>
    public static async Task SignInAndAddKeyAsync(IPage page, TlsPortal portal, string name)
    {
        await SignInWithPasswordAsync(page);
        // Signed in before leaving the page, or settings would load while the sign-in is still in flight.
        await Assertions.Expect(page.Locator("#who")).ToHaveTextAsync("john");
        await page.GotoAsync("https://auth.example.com/settings");
        await AddKeyOnSettingsAsync(page, portal, name);
    }

    /// <summary>On the settings page: adds a key named <paramref name="name"/>, entering the emailed code if asked.</summary>
    public static async Task AddKeyOnSettingsAsync(IPage page, TlsPortal portal, string name, bool expectCode = true)
    {
        await page.GetByLabel("Name for a new key").FillAsync(name);
        await page.GetByRole(AriaRole.Button, new() { Name = "Add security key" }).ClickAsync();
        if (expectCode)
        {
            var code = SmtpPortal.CodeFrom(await portal.Smtp.WaitForMailAsync("john@example.com"));
            await page.GetByLabel("Code from your email").FillAsync(code);
            await page.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
        }
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync($"Added \"{name}\".", new() { Timeout = 15_000 });
    }
}
