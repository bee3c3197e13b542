using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Portal.Tests.Support;
using Portal.Tests.WebAuthn;
using Portal.Totp;

namespace Portal.Tests.Totp;

/// <summary>
/// TOTP over HTTP on a manual clock: registration behind elevation, the code as the second factor (valid, reused,
/// skewed, wrong, banned), and what it raises the session to.
/// </summary>
public sealed class TotpFlowTests
{
    private const string SecureApp = "https://secure.example.com/";

    /// <summary>A fixed 20-byte secret, stored for john as an import would (SHA1, 6 digits, 30 s).</summary>
    private static readonly byte[] Secret = [.. Enumerable.Range(40, 20).Select(i => (byte)i)];

    private static async Task<(PortalTestHost Host, WebAuthnClient Browser)> ArrangeAsync(string? extraYaml = null, bool withSecret = true)
    {
        var host = await PortalTestHost.StartAsync(extraYaml, manualClock: true);
        if (withSecret)
        {
            await host.App.Services.GetRequiredService<ITotpConfigurationStore>().SaveAsync(
                new TotpConfiguration(0, "john", "Portal", "SHA1", 6, 30, Secret, host.Time!.GetUtcNow()), CancellationToken.None);
        }
        var browser = new WebAuthnClient(host);
        await browser.LoginAsync("john");
        return (host, browser);
    }

    private static string Code(PortalTestHost host, TimeSpan offset = default) =>
        TotpCodes.Compute(Secret, "SHA1", 6, 30, host.Time!.GetUtcNow() + offset);

    private static async Task<(HttpStatusCode Status, string Body)> SubmitAsync(WebAuthnClient browser, string code, string? targetUrl = null)
    {
        using var response = await browser.SendAsync(HttpMethod.Post, "/api/secondfactor/totp", new { token = code, targetURL = targetUrl });
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<HttpStatusCode> SecureAppAsync(WebAuthnClient browser)
    {
        using var response = await browser.Host.ForwardAuthAsync(SecureApp, cookie: browser.Cookie);
        return response.StatusCode;
    }

    [Fact]
    public async Task A_valid_code_raises_the_session_to_two_factor_under_a_new_session_id()
    {
        var (host, browser) = await ArrangeAsync();
        await using var _ = host;
        var before = browser.Cookie;
        Assert.NotEqual(HttpStatusCode.OK, await SecureAppAsync(browser));

        var (status, body) = await SubmitAsync(browser, Code(host), SecureApp);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(SecureApp, JsonDocument.Parse(body).RootElement.GetProperty("data").GetProperty("redirect").GetString());
        Assert.NotEqual(before, browser.Cookie);
        Assert.Equal(HttpStatusCode.OK, await SecureAppAsync(browser));
        // The old id is worthless.
        using var old = await host.ForwardAuthAsync(SecureApp, cookie: before);
        Assert.NotEqual(HttpStatusCode.OK, old.StatusCode);
    }

    [Fact]
    public async Task A_code_is_accepted_once_even_by_another_session_of_the_same_user()
    {
        var (host, browser) = await ArrangeAsync();
        await using var _ = host;
        var code = Code(host);
        Assert.Equal(HttpStatusCode.OK, (await SubmitAsync(browser, code)).Status);

        var second = new WebAuthnClient(host);
        await second.LoginAsync("john");
        var (status, body) = await SubmitAsync(second, code);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains(TotpEndpoints.AuthenticationFailed, body, StringComparison.Ordinal);
        Assert.NotEqual(HttpStatusCode.OK, await SecureAppAsync(second));
        // The next period's code is a new code.
        host.Time!.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.OK, (await SubmitAsync(second, Code(host))).Status);
    }

    [Fact]
    public async Task A_code_one_period_off_is_accepted_with_the_default_skew_and_two_periods_off_is_not()
    {
        var (host, browser) = await ArrangeAsync();
        await using var _ = host;

        Assert.Equal(HttpStatusCode.Unauthorized, (await SubmitAsync(browser, Code(host, TimeSpan.FromSeconds(-60)))).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SubmitAsync(browser, Code(host, TimeSpan.FromSeconds(60)))).Status);
        Assert.Equal(HttpStatusCode.OK, (await SubmitAsync(browser, Code(host, TimeSpan.FromSeconds(-30)))).Status);
    }

    [Fact]
    public async Task With_skew_zero_only_the_current_periods_code_is_accepted()
    {
        var (host, browser) = await ArrangeAsync("totp:\n  skew: 0\n");
        await using var _ = host;

        Assert.Equal(HttpStatusCode.Unauthorized, (await SubmitAsync(browser, Code(host, TimeSpan.FromSeconds(-30)))).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SubmitAsync(browser, Code(host, TimeSpan.FromSeconds(30)))).Status);
        Assert.Equal(HttpStatusCode.OK, (await SubmitAsync(browser, Code(host))).Status);
    }

    [Fact]
    public async Task After_a_later_periods_code_an_earlier_periods_code_is_refused()
    {
        var (host, browser) = await ArrangeAsync();
        await using var _ = host;
        Assert.Equal(HttpStatusCode.OK, (await SubmitAsync(browser, Code(host, TimeSpan.FromSeconds(30)))).Status);

        var second = new WebAuthnClient(host);
        await second.LoginAsync("john");

        Assert.Equal(HttpStatusCode.Unauthorized, (await SubmitAsync(second, Code(host))).Status);
    }

    [Fact]
    public async Task With_the_reuse_policy_disabled_a_code_may_be_used_again()
    {
        var (host, browser) = await ArrangeAsync("totp:\n  disable_reuse_security_policy: true\n");
        await using var _ = host;
        var code = Code(host);
        Assert.Equal(HttpStatusCode.OK, (await SubmitAsync(browser, code)).Status);

        var second = new WebAuthnClient(host);
        await second.LoginAsync("john");

        Assert.Equal(HttpStatusCode.OK, (await SubmitAsync(second, code)).Status);
    }

    [Fact]
    public async Task A_wrong_code_is_refused_and_malformed_codes_are_a_bad_request()
    {
        var (host, browser) = await ArrangeAsync();
        await using var _ = host;
        var wrong = Code(host) == "000000" ? "000001" : "000000";

        Assert.Equal(HttpStatusCode.Unauthorized, (await SubmitAsync(browser, wrong)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await SubmitAsync(browser, "12ab56")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await SubmitAsync(browser, "")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await SubmitAsync(browser, new string('1', 11))).Status);
        Assert.NotEqual(HttpStatusCode.OK, await SecureAppAsync(browser));
    }

    [Fact]
    public async Task A_banned_user_gets_the_wrong_codes_answer_for_the_right_code_until_the_ban_ends()
    {
        var (host, browser) = await ArrangeAsync("session:\n  inactivity: 1h\n  expiration: 2h\n");
        await using var _ = host;
        var wrong = Code(host) == "000000" ? "000001" : "000000";
        var answers = new List<(HttpStatusCode, string)>();
        for (var i = 0; i < 3; i++)
        {
            answers.Add(await SubmitAsync(browser, wrong));
        }

        var banned = await SubmitAsync(browser, Code(host));

        Assert.All(answers, a => Assert.Equal(answers[0], a));
        Assert.Equal(answers[0], banned);
        Assert.NotEqual(HttpStatusCode.OK, await SecureAppAsync(browser));
        // The ban is over: a right code passes again.
        host.Time!.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await SubmitAsync(browser, TotpCodes.Compute(Secret, "SHA1", 6, 30, host.Time.GetUtcNow()))).Status);
    }

    [Fact]
    public async Task A_user_without_totp_is_told_so_and_the_page_is_offered_totp_as_a_method()
    {
        var (host, browser) = await ArrangeAsync(withSecret: false);
        await using var _ = host;

        var (status, body) = await SubmitAsync(browser, "123456");
        using var info = await browser.SendAsync(HttpMethod.Get, "/api/secondfactor/totp");
        using var configuration = await browser.SendAsync(HttpMethod.Get, "/api/configuration");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(TotpEndpoints.NoTotp, body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, info.StatusCode);
        var methods = JsonDocument.Parse(await configuration.Content.ReadAsStringAsync()).RootElement.GetProperty("data").GetProperty("available_methods");
        Assert.Equal(["totp", "webauthn"], methods.EnumerateArray().Select(m => m.GetString()));
    }

    [Fact]
    public async Task Registration_needs_an_elevated_session_and_a_first_code_from_the_shown_secret()
    {
        var (host, browser) = await ArrangeAsync(withSecret: false);
        await using var _ = host;
        using (var refused = await browser.SendAsync(HttpMethod.Put, "/api/secondfactor/totp/register", new { }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }
        await browser.ElevateAsync();

        using var begin = await browser.SendAsync(HttpMethod.Put, "/api/secondfactor/totp/register", new { });
        Assert.Equal(HttpStatusCode.OK, begin.StatusCode);
        var data = JsonDocument.Parse(await begin.Content.ReadAsStringAsync()).RootElement.GetProperty("data");
        var base32 = data.GetProperty("base32_secret").GetString()!;
        var secret = TotpCodes.FromBase32(base32)!;
        Assert.Equal(32, secret.Length);
        Assert.StartsWith("otpauth://totp/Portal:john?secret=" + base32, data.GetProperty("otpauth_url").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("data:image/png;base64,iVBOR", data.GetProperty("qr_code").GetString(), StringComparison.Ordinal);

        var code = TotpCodes.Compute(secret, "SHA1", 6, 30, host.Time!.GetUtcNow());
        var wrong = code == "000000" ? "000001" : "000000";
        using (var bad = await browser.SendAsync(HttpMethod.Post, "/api/secondfactor/totp/register", new { token = wrong }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        }
        using (var confirm = await browser.SendAsync(HttpMethod.Post, "/api/secondfactor/totp/register", new { token = code }))
        {
            Assert.Equal(HttpStatusCode.Created, confirm.StatusCode);
        }
        using var info = await browser.SendAsync(HttpMethod.Get, "/api/secondfactor/totp");
        var view = JsonDocument.Parse(await info.Content.ReadAsStringAsync()).RootElement.GetProperty("data");
        Assert.Equal(("Portal", "SHA1", 6, 30), (view.GetProperty("issuer").GetString(), view.GetProperty("algorithm").GetString(),
            view.GetProperty("digits").GetInt32(), view.GetProperty("period").GetInt32()));

        // The confirming code was used: it cannot pass the second factor too; the next period's can.
        Assert.Equal(HttpStatusCode.Unauthorized, (await SubmitAsync(browser, code)).Status);
        host.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.OK, (await SubmitAsync(browser, TotpCodes.Compute(secret, "SHA1", 6, 30, host.Time.GetUtcNow()))).Status);
    }

    [Fact]
    public async Task Registration_choices_outside_the_allowed_lists_are_refused_and_allowed_ones_are_used()
    {
        var (host, browser) = await ArrangeAsync("totp:\n  allowed_algorithms: [SHA256]\n  allowed_digits: [8]\n", withSecret: false);
        await using var _ = host;
        await browser.ElevateAsync();

        using var refused = await browser.SendAsync(HttpMethod.Put, "/api/secondfactor/totp/register", new { algorithm = "SHA512" });
        using var allowed = await browser.SendAsync(HttpMethod.Put, "/api/secondfactor/totp/register", new { algorithm = "sha256", length = 8 });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        var url = JsonDocument.Parse(await allowed.Content.ReadAsStringAsync()).RootElement.GetProperty("data").GetProperty("otpauth_url").GetString();
        Assert.Contains("algorithm=SHA256&digits=8&period=30", url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Removing_totp_needs_elevation_and_then_the_user_has_none()
    {
        var (host, browser) = await ArrangeAsync();
        await using var _ = host;
        using (var refused = await browser.SendAsync(HttpMethod.Delete, "/api/secondfactor/totp"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }
        await browser.ElevateAsync();

        using var removed = await browser.SendAsync(HttpMethod.Delete, "/api/secondfactor/totp");

        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        Assert.False(await host.App.Services.GetRequiredService<ITotpConfigurationStore>().HasAsync("john", CancellationToken.None));
    }

    [Fact]
    public async Task With_totp_disabled_its_endpoints_do_not_exist_and_it_is_not_offered()
    {
        var (host, browser) = await ArrangeAsync("totp:\n  disable: true\n");
        await using var _ = host;

        var (status, _) = await SubmitAsync(browser, Code(host));
        using var configuration = await browser.SendAsync(HttpMethod.Get, "/api/configuration");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.DoesNotContain("totp", await configuration.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
