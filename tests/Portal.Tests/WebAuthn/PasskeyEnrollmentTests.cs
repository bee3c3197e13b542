using System.Net;
using System.Text.Json;
using Portal.Configuration;
using Portal.Tests.Support;

namespace Portal.Tests.WebAuthn;

/// <summary>The passkey enrollment offer after a password sign-in (<c>webauthn.passkey_enrollment</c>).</summary>
public sealed class PasskeyEnrollmentTests
{
    private const string Offer = "webauthn:\n  enable_passkey_login: true\n  passkey_enrollment: offer\n  passkey_enrollment_snooze: 7d\n";

    private static async Task<bool> OfferedAsync(WebAuthnClient browser)
    {
        using var response = await browser.SendAsync(HttpMethod.Get, "/api/passkey/enrollment");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return WebAuthnClient.DataOf(body).GetProperty("offer").GetBoolean();
    }

    [Fact]
    public async Task A_user_without_a_passkey_is_offered_one_until_they_say_not_now_for_the_snooze_time()
    {
        await using var host = await PortalTestHost.StartAsync(Offer, manualClock: true);
        var browser = new WebAuthnClient(host);
        await browser.LoginAsync("john");
        Assert.True(await OfferedAsync(browser));

        using (var snooze = await browser.SendAsync(HttpMethod.Post, "/api/passkey/enrollment/snooze", "{}"))
        {
            Assert.Equal(HttpStatusCode.OK, snooze.StatusCode);
        }
        Assert.False(await OfferedAsync(browser));
        // Remembered for the user, not the session.
        await browser.LogoutAsync();
        await browser.LoginAsync("john");
        Assert.False(await OfferedAsync(browser));

        host.Time!.Advance(TimeSpan.FromDays(7) + TimeSpan.FromSeconds(1));
        await browser.LoginAsync("john");
        Assert.True(await OfferedAsync(browser));
    }

    [Fact]
    public async Task No_offer_once_the_user_has_a_passkey_nor_when_the_offer_is_off()
    {
        await using (var host = await PortalTestHost.StartAsync(Offer))
        {
            await PasskeyLoginSupport.RegisterAsync(host, "john", new SoftwareAuthenticator("https://auth.example.com"));
            var browser = new WebAuthnClient(host);
            await browser.LoginAsync("john");
            Assert.False(await OfferedAsync(browser));
        }
        await using (var host = await PortalTestHost.StartAsync(PasskeyLoginSupport.PasskeyOn))
        {
            var browser = new WebAuthnClient(host);
            await browser.LoginAsync("john");
            Assert.False(await OfferedAsync(browser));
        }
    }

    [Fact]
    public async Task A_security_key_that_is_not_discoverable_does_not_stop_the_offer()
    {
        await using var host = await PortalTestHost.StartAsync(Offer);
        await PasskeyLoginSupport.RegisterAsync(host, "john", new SoftwareAuthenticator("https://auth.example.com"), "YubiKey", discoverable: false);
        var browser = new WebAuthnClient(host);
        await browser.LoginAsync("john");
        Assert.True(await OfferedAsync(browser));
    }

    [Fact]
    public async Task The_offer_needs_a_signed_in_session() 
    {
        await using var host = await PortalTestHost.StartAsync(Offer);
        var browser = new WebAuthnClient(host);
        using var offer = await browser.SendAsync(HttpMethod.Get, "/api/passkey/enrollment");
        Assert.Equal(HttpStatusCode.Forbidden, offer.StatusCode);
        using var snooze = await browser.SendAsync(HttpMethod.Post, "/api/passkey/enrollment/snooze", "{}");
        Assert.Equal(HttpStatusCode.Forbidden, snooze.StatusCode);
    }

    [Fact]
    public async Task Enrolling_goes_through_the_same_elevation_as_any_registration_and_asks_for_a_discoverable_credential()
    {
        await using var host = await PortalTestHost.StartAsync(Offer);
        var browser = new WebAuthnClient(host);
        await browser.LoginAsync("john");
        var body = JsonSerializer.Serialize(new { description = "Passkey", passkey = true });
        using (var refused = await browser.SendAsync(HttpMethod.Put, "/api/secondfactor/webauthn/credential/register", body))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.True(WebAuthnClient.DataOf(await refused.Content.ReadAsStringAsync()).GetProperty("elevation").GetBoolean());
        }
        await browser.ElevateAsync();
        using var begun = await browser.SendAsync(HttpMethod.Put, "/api/secondfactor/webauthn/credential/register", body);
        var options = WebAuthnClient.DataOf(await begun.Content.ReadAsStringAsync()).GetProperty("publicKey");
        Assert.Equal("required", options.GetProperty("authenticatorSelection").GetProperty("residentKey").GetString());
        Assert.True(options.GetProperty("authenticatorSelection").GetProperty("requireResidentKey").GetBoolean());
    }

    [Theory]
    [InlineData("webauthn:\n  passkey_enrollment: offer\n", "webauthn: option 'passkey_enrollment' is 'offer' but it must be 'off' when 'enable_passkey_login' is false")]
    [InlineData("webauthn:\n  enable_passkey_login: true\n  passkey_enrollment: always\n", "webauthn: option 'passkey_enrollment' must be one of 'off', 'offer'")]
    public void Misconfigured_enrollment_is_a_startup_error(string yaml, string message)
    {
        var result = ConfigLoader.LoadYaml(Configuration.ConfigLoaderTests.MinimalYaml + "\n" + yaml);
        Assert.Contains(result.Diagnostics.Errors, e => e.ToString().Contains(message, StringComparison.Ordinal));
    }
}

/// <summary>Where a passkey sign-in sends the browser when its target's rule has its own passkey setting.</summary>
public sealed class PasskeyLoginRedirectTests
{
    private const string Rules = """
        access_control:
          default_policy: deny
          rules:
            - domain: 'vault.example.com'
              policy: two_factor
              passkey_uv_two_factor: allow
            - domain: 'secure.example.com'
              policy: two_factor
        """;

    [Theory]
    [InlineData("https://vault.example.com/", true)]    // the rule accepts a user-verified passkey
    [InlineData("https://secure.example.com/", false)]  // follows the global switch (off): the password step comes first
    public async Task A_user_verified_passkey_goes_straight_to_a_target_whose_rule_accepts_it(string target, bool redirected)
    {
        await using var host = await PortalTestHost.StartAsync(PasskeyLoginSupport.PasskeyOn, accessControl: Rules);
        var key = new SoftwareAuthenticator("https://auth.example.com") { UserVerified = true };
        await PasskeyLoginSupport.RegisterAsync(host, "john", key);
        var browser = new WebAuthnClient(host);

        var (_, options, _) = await browser.BeginPasskeyLoginAsync();
        var (status, body) = await browser.CompletePasskeyLoginAsync(key.Get(options!.Value), targetUrl: target);

        Assert.True(status == HttpStatusCode.OK, body);
        using var json = JsonDocument.Parse(body);
        var redirect = json.RootElement.TryGetProperty("data", out var data) && data.TryGetProperty("redirect", out var r) ? r.GetString() : null;
        Assert.Equal(redirected ? target : null, redirect);
    }
}
