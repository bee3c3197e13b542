using Microsoft.Playwright;
using Portal.Tests.Support;

namespace Portal.Tests.Browser;

/// <summary>"Where you are signed in" on the settings page, in headless Chromium with two browsers.</summary>
[Trait("Category", "Integration")]
public sealed class SessionsBrowserTests(BrowserFixture browsers) : TlsBrowserTest(browsers)
{
    [Fact]
    public async Task A_user_signs_out_everywhere_else_from_settings_and_the_other_browser_must_sign_in_again()
    {
        var (otherContext, other) = await OpenAsync("app.example.com");
        await using var __ = otherContext;
        await other.GotoAsync("https://auth.example.com/");
        await Journeys.SignInWithPasswordAsync(other);
        await Assertions.Expect(other.Locator("#who")).ToHaveTextAsync("john");
        await other.GotoAsync("https://app.example.com/");
        await other.WaitForURLAsync("https://app.example.com/");

        var (context, page) = await OpenAsync("app.example.com");
        await using var _ = context;
        await page.GotoAsync("https://auth.example.com/");
        await Journeys.SignInWithPasswordAsync(page);
        await Assertions.Expect(page.Locator("#who")).ToHaveTextAsync("john");
        await page.GotoAsync("https://auth.example.com/settings");

        await Assertions.Expect(page.Locator("#sessions li")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#sessions li strong").First).ToHaveTextAsync("This browser");
        await BrowserFixture.AssertAccessibleAsync(page);
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out everywhere else" }).ClickAsync();
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("Signed out everywhere else (1).");
        await Assertions.Expect(page.Locator("#sessions li")).ToHaveCountAsync(1);
        await BrowserFixture.ScreenshotAsync(page, "settings-sessions");

        await other.GotoAsync("https://app.example.com/");
        await other.WaitForURLAsync("https://auth.example.com/?rd=**");
        await page.GotoAsync("https://app.example.com/");
        await page.WaitForURLAsync("https://app.example.com/");
    }
}
