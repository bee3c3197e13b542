using Microsoft.Playwright;
using Portal.Tests.PasswordReset;
using Portal.Tests.Support;

namespace Portal.Tests.Browser;

/// <summary>"Forgot password?" from the sign-in page to signing in with the new password, in headless Chromium.</summary>
[Trait("Category", "Integration")]
public sealed class PasswordResetBrowserTests(BrowserFixture browsers) : TlsBrowserTest(browsers, ResetFlow.Yaml("""
    password_policy:
      standard:
        enabled: true
        min_length: 12
    """))
{
    [Fact]
    public async Task A_user_who_forgot_the_password_sets_a_new_one_from_the_emailed_link_and_signs_in_with_it()
    {
        var (context, page) = await OpenAsync("app.example.com");
        await using var _ = context;
        await page.GotoAsync("https://auth.example.com/");
        await page.GetByRole(AriaRole.Link, new() { Name = "Forgot password?" }).ClickAsync();
        await page.WaitForURLAsync("https://auth.example.com/reset-password/step1");
        await BrowserFixture.AssertAccessibleAsync(page);
        await page.GetByLabel("Username").FillAsync("john");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send the link" }).ClickAsync();
        await Assertions.Expect(page.Locator("#status")).ToContainTextAsync("a link to reset the password was sent");

        var link = ResetLinkFrom(await Portal.Smtp.WaitForMailAsync("john@example.com"));
        await page.GotoAsync(link);
        await Assertions.Expect(page.Locator("#policy")).ToHaveTextAsync("The password needs at least 12 characters.");
        await BrowserFixture.AssertAccessibleAsync(page);
        await page.GetByLabel("New password", new() { Exact = true }).FillAsync("too short");
        await page.GetByLabel("Repeat the new password").FillAsync("too short");
        await page.GetByRole(AriaRole.Button, new() { Name = "Set the new password" }).ClickAsync();
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("The password must be at least 12 characters long.");
        await page.GetByLabel("New password", new() { Exact = true }).FillAsync("a much longer new password");
        await page.GetByLabel("Repeat the new password").FillAsync("a much longer new password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Set the new password" }).ClickAsync();
        await Assertions.Expect(page.Locator("#status")).ToContainTextAsync("Your password was changed");
        await BrowserFixture.ScreenshotAsync(page, "reset-password-done");

        // The same link again: refused, with a sentence the user can act on.
        await page.GotoAsync(link);
        await Assertions.Expect(page.Locator("#status")).ToContainTextAsync("Ask for a new link.");

        await page.GotoAsync("https://auth.example.com/");
        await Journeys.SignInWithPasswordAsync(page, "john", "a much longer new password");
        await Assertions.Expect(page.Locator("#who")).ToHaveTextAsync("john");
    }

    private static string ResetLinkFrom(ReceivedMail mail) =>
        "https://auth.example.com/reset-password/step2?token=" + Uri.EscapeDataString(ResetFlow.TokenFrom(mail));
}
