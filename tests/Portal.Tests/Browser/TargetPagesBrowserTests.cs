using Microsoft.Playwright;
using Portal.Tests.Support;

namespace Portal.Tests.Browser;

/// <summary>The pages a target leads to when it cannot be reached: forbidden for this user, and a link the portal refuses.</summary>
[Trait("Category", "Integration")]
public sealed class TargetPagesBrowserTests(BrowserFixture browsers) : TlsBrowserTest(browsers)
{
    [Fact]
    public async Task A_user_the_rules_deny_sees_the_forbidden_page_and_can_sign_in_as_someone_else()
    {
        var (context, page) = await OpenAsync("admin.example.com");
        await using var _ = context;

        // admin.example.com: one_factor for group admins, deny for group dev. Harry is in dev only.
        await page.GotoAsync("https://admin.example.com/panel");
        await Journeys.SignInWithPasswordAsync(page, "harry");
        await page.WaitForURLAsync("https://auth.example.com/forbidden?**");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "No access" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#who")).ToHaveTextAsync("harry");
        await Assertions.Expect(page.Locator("#target")).ToHaveTextAsync("admin.example.com");
        await BrowserFixture.ScreenshotAsync(page, "forbidden");
        await BrowserFixture.AssertAccessibleAsync(page);

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in as someone else" }).ClickAsync();
        await page.WaitForURLAsync("https://auth.example.com/?rd=**");
        await Journeys.SignInWithPasswordAsync(page, "john");
        await page.WaitForURLAsync("https://admin.example.com/panel");
        Assert.Equal("Hello john", await page.Locator("#app").TextContentAsync());
    }

    [Fact]
    public async Task A_sign_in_link_with_a_target_outside_the_cookie_domains_shows_why_it_cannot_be_used()
    {
        var (context, page) = await OpenAsync();
        await using var _ = context;

        var response = await page.GotoAsync("https://auth.example.com/?rd=" + Uri.EscapeDataString("https://evil.example.org/login"));

        Assert.Equal(400, response!.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "This link can't be used" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#target")).ToHaveTextAsync("https://evil.example.org/login");
        await BrowserFixture.ScreenshotAsync(page, "bad-link");
        await BrowserFixture.AssertAccessibleAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in without it" }).ClickAsync();
        await page.WaitForURLAsync("https://auth.example.com/");
        await Assertions.Expect(page.GetByLabel("Password")).ToBeVisibleAsync();
    }
}
