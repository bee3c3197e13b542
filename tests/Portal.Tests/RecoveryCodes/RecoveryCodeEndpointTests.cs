using System.Net;
using System.Text.Json;
using Portal.Tests.Support;
using Portal.Tests.WebAuthn;

namespace Portal.Tests.RecoveryCodes;

/// <summary>Recovery codes over HTTP: generated behind the emailed elevation, used once in place of a security key.</summary>
[Trait("Category", "Integration")]
public sealed class RecoveryCodeEndpointTests
{
    /// <summary>john signed in, elevated by the real emailed code, with a registered key; the mails so far read.</summary>
    private static async Task<(WebAuthnClient Browser, SoftwareAuthenticator Key)> UserWithKeyAsync(SmtpPortal portal)
    {
        var browser = new WebAuthnClient(portal.Host);
        var key = new SoftwareAuthenticator(browser.Origin);
        await browser.LoginAsync("john");
        await browser.ElevateByEmailAsync();
        await browser.RegisterAsync(key, "Key");
        await portal.Smtp.WaitForMailAsync("john@example.com"); // "Second Factor Method Added"
        return (browser, key);
    }

    private static async Task<List<string>> GenerateAsync(WebAuthnClient browser)
    {
        using var response = await browser.SendAsync(HttpMethod.Post, "/api/secondfactor/recovery-codes");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return [.. WebAuthnClient.DataOf(body).GetProperty("codes").EnumerateArray().Select(c => c.GetString()!)];
    }

    private static async Task<(HttpStatusCode Status, string Body)> UseAsync(WebAuthnClient browser, string code, string? targetUrl = null)
    {
        using var response = await browser.SendAsync(HttpMethod.Post, "/api/secondfactor/recovery-code", new { code, targetURL = targetUrl });
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<int> RemainingAsync(WebAuthnClient browser)
    {
        using var response = await browser.SendAsync(HttpMethod.Get, "/api/secondfactor/recovery-codes");
        return WebAuthnClient.DataOf(await response.Content.ReadAsStringAsync()).GetProperty("remaining").GetInt32();
    }

    [Fact]
    public async Task A_code_passes_the_second_factor_once_with_a_new_session_id_and_the_count_goes_down()
    {
        await using var portal = await SmtpPortal.StartAsync();
        var (browser, _) = await UserWithKeyAsync(portal);
        var codes = await GenerateAsync(browser);
        Assert.Equal(10, codes.Count);
        Assert.All(codes, c => Assert.Matches("^[2-9A-HJKMNP-TV-Z]{5}-[2-9A-HJKMNP-TV-Z]{5}$", c));
        Assert.Equal(10, codes.Distinct().Count());
        await browser.LogoutAsync();

        await browser.LoginAsync("john");
        var oneFactor = browser.Cookie;
        Assert.Equal(1, await browser.LevelAsync());
        var (status, body) = await UseAsync(browser, codes[3].ToLowerInvariant().Replace("-", " ", StringComparison.Ordinal), "https://secure.example.com/");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(9, WebAuthnClient.DataOf(body).GetProperty("remaining").GetInt32());
        Assert.Equal("https://secure.example.com/", WebAuthnClient.DataOf(body).GetProperty("redirect").GetString());
        Assert.NotEqual(oneFactor, browser.Cookie);
        Assert.Equal(2, await browser.LevelAsync());
        using (var app = await portal.Host.ForwardAuthAsync("https://secure.example.com/", cookie: browser.Cookie))
        {
            Assert.Equal(HttpStatusCode.OK, app.StatusCode);
        }

        await browser.LogoutAsync();
        await browser.LoginAsync("john");
        (status, _) = await UseAsync(browser, codes[3]);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(1, await browser.LevelAsync());
        Assert.Equal(9, await RemainingAsync(browser));
    }

    [Fact]
    public async Task The_user_is_emailed_when_codes_are_generated_and_when_one_is_used_with_the_count_left()
    {
        await using var portal = await SmtpPortal.StartAsync();
        var (browser, _) = await UserWithKeyAsync(portal);
        var codes = await GenerateAsync(browser);
        var generated = await portal.Smtp.WaitForMailAsync("john@example.com");
        Assert.Contains("10 new recovery codes", generated.Text, StringComparison.Ordinal);
        await browser.LogoutAsync();
        await browser.LoginAsync("john");

        await UseAsync(browser, codes[0]);

        var used = await portal.Smtp.WaitForMailAsync("john@example.com");
        Assert.Contains("Recovery Code Used", used.Message.Subject, StringComparison.Ordinal);
        Assert.Contains("9 left", used.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generating_needs_an_elevated_session_and_a_registered_second_factor()
    {
        await using var portal = await SmtpPortal.StartAsync();
        var bob = new WebAuthnClient(portal.Host);
        await bob.LoginAsync("bob");
        using (var notElevated = await bob.SendAsync(HttpMethod.Post, "/api/secondfactor/recovery-codes"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, notElevated.StatusCode);
        }
        await bob.ElevateAsync();

        using var noKey = await bob.SendAsync(HttpMethod.Post, "/api/secondfactor/recovery-codes");

        Assert.Equal(HttpStatusCode.Forbidden, noKey.StatusCode);
        Assert.Contains("Register a security key or a one-time password app first", await noKey.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_session_from_a_recovery_code_is_not_elevated_even_with_skip_second_factor()
    {
        await using var portal = await SmtpPortal.StartAsync("""
            identity_validation:
              elevated_session:
                skip_second_factor: true
            """);
        var (browser, key) = await UserWithKeyAsync(portal);
        var codes = await GenerateAsync(browser);
        await browser.LogoutAsync();
        await browser.LoginAsync("john");

        await UseAsync(browser, codes[0]);

        using (var state = await browser.SendAsync(HttpMethod.Get, "/api/user/session/elevation"))
        {
            var data = WebAuthnClient.DataOf(await state.Content.ReadAsStringAsync());
            Assert.False(data.GetProperty("skip_second_factor").GetBoolean());
            Assert.False(data.GetProperty("elevated").GetBoolean());
        }
        using (var regenerate = await browser.SendAsync(HttpMethod.Post, "/api/secondfactor/recovery-codes"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, regenerate.StatusCode);
        }
        // The key itself does skip it, as configured: the difference is the recovery code's alone.
        var (status, body) = await browser.SecondFactorAsync(key);
        Assert.True(status == HttpStatusCode.OK, body);
        Assert.Equal(10, (await GenerateAsync(browser)).Count);
    }

    [Fact]
    public async Task A_new_set_replaces_the_old_one()
    {
        await using var portal = await SmtpPortal.StartAsync();
        var (browser, _) = await UserWithKeyAsync(portal);
        var old = await GenerateAsync(browser);
        await GenerateAsync(browser);
        await browser.LogoutAsync();
        await browser.LoginAsync("john");

        var (status, _) = await UseAsync(browser, old[0]);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(10, await RemainingAsync(browser));
    }

    [Fact]
    public async Task Wrong_codes_count_towards_a_ban_and_a_banned_user_uses_up_no_code()
    {
        await using var portal = await SmtpPortal.StartAsync("""
            regulation:
              max_retries: 3
              find_time: 10m
              ban_time: 10m
            """);
        var (browser, _) = await UserWithKeyAsync(portal);
        var codes = await GenerateAsync(browser);
        await browser.LogoutAsync();
        await browser.LoginAsync("john");

        for (var i = 0; i < 3; i++)
        {
            var (wrong, _) = await UseAsync(browser, "22222-22222");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong);
        }
        var (banned, _) = await UseAsync(browser, codes[0]);

        Assert.Equal(HttpStatusCode.Unauthorized, banned);
        Assert.Equal(1, await browser.LevelAsync());
        Assert.Equal(10, await RemainingAsync(browser));
    }
}
