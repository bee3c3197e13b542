using System.Net;
using System.Text.Json;
using Portal.Tests.Support;
using Portal.WebAuthn;

namespace Portal.Tests.WebAuthn;

/// <summary>The whole life of two security keys over HTTP against a real portal, driven by a software authenticator.</summary>
public sealed class WebAuthnFlowTests
{
    [Fact]
    [Trait("Category", "Integration")]
    public async Task Two_named_keys_are_registered_used_renamed_and_deleted_and_the_deleted_one_stops_working()
    {
        // Elevation through the emailed one-time code, read from what a real SMTP server received.
        await using var portal = await SmtpPortal.StartAsync();
        var host = portal.Host;
        var browser = new WebAuthnClient(host);
        var laptop = new SoftwareAuthenticator(browser.Origin) { AttestationFormat = "none", Attachment = "platform", Aaguid = Guid.Parse("01020304-0506-0708-0102-030405060708") };
        var yubikey = new SoftwareAuthenticator(browser.Origin) { AttestationFormat = "packed", Attachment = "cross-platform", Transports = ["usb", "nfc"] };

        await browser.LoginAsync("john");
        await browser.ElevateByEmailAsync();
        await browser.RegisterAsync(laptop, "Laptop");
        await browser.RegisterAsync(yubikey, "YubiKey");
        // The SMTP sink's files do not sort by arrival, so the two messages are matched by content, not order.
        var addedMails = new[] { await portal.Smtp.WaitForMailAsync("john@example.com"), await portal.Smtp.WaitForMailAsync("john@example.com") };
        Assert.All(addedMails, m => Assert.Contains("Second Factor Method Added", m.Message.Subject, StringComparison.Ordinal));
        Assert.Single(addedMails, m => m.Text.Contains("'Laptop'", StringComparison.Ordinal));
        Assert.Single(addedMails, m => m.Text.Contains("'YubiKey'", StringComparison.Ordinal));

        var listed = await browser.ListAsync();
        Assert.Equal(["Laptop", "YubiKey"], listed.Select(c => c.GetProperty("description").GetString()));
        Assert.All(listed, c => Assert.Equal("auth.example.com", c.GetProperty("rpid").GetString()));
        Assert.All(listed, c => Assert.Equal("john", c.GetProperty("username").GetString()));
        Assert.All(listed, c => Assert.True(c.GetProperty("discoverable").GetBoolean()));   // credProps.rk
        Assert.Equal(["none", "packed"], listed.Select(c => c.GetProperty("attestation_format").GetString()));
        Assert.Equal(["none", "self"], listed.Select(c => c.GetProperty("attestation_type").GetString()));
        Assert.Equal(["platform", "cross-platform"], listed.Select(c => c.GetProperty("attachment").GetString()));
        Assert.Equal("01020304-0506-0708-0102-030405060708", listed[0].GetProperty("aaguid").GetString());
        Assert.Equal(["usb", "nfc"], listed[1].GetProperty("transports").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(Convert.ToBase64String(laptop.Credentials[0].Id), listed[0].GetProperty("kid").GetString());

        foreach (var key in new[] { laptop, yubikey })
        {
            await browser.LogoutAsync();
            await browser.LoginAsync("john");
            Assert.Equal(1, await browser.LevelAsync());
            var cookieBefore = browser.Cookie;
            var (status, body) = await browser.SecondFactorAsync(key);
            Assert.True(status == HttpStatusCode.OK, body);
            Assert.NotEqual(cookieBefore, browser.Cookie);   // regenerated on the level change
            Assert.Equal(2, await browser.LevelAsync());
        }
        var used = await browser.ListAsync();
        Assert.All(used, c => Assert.Equal(1u, c.GetProperty("sign_count").GetUInt32()));
        Assert.All(used, c => Assert.NotEqual(JsonValueKind.Null, c.GetProperty("last_used_at").ValueKind));

        var laptopId = listed[0].GetProperty("id").GetInt64();
        var yubikeyId = listed[1].GetProperty("id").GetInt64();
        using (var unelevated = await browser.SendAsync(HttpMethod.Put, $"/api/secondfactor/webauthn/credential/{laptopId}", new { description = "Work laptop" }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, unelevated.StatusCode);
        }
        await browser.ElevateByEmailAsync();
        using (var renamed = await browser.SendAsync(HttpMethod.Put, $"/api/secondfactor/webauthn/credential/{laptopId}", new { description = "Work laptop" }))
        {
            Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        }
        using (var duplicate = await browser.SendAsync(HttpMethod.Put, $"/api/secondfactor/webauthn/credential/{laptopId}", new { description = "yubikey" }))
        {
            Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
            Assert.Contains(WebAuthnEndpoints.DuplicateName, await duplicate.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        using (var deleted = await browser.SendAsync(HttpMethod.Delete, $"/api/secondfactor/webauthn/credential/{yubikeyId}"))
        {
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        }
        Assert.Equal(["Work laptop"], (await browser.ListAsync()).Select(c => c.GetProperty("description").GetString()));
        var removed = await portal.Smtp.WaitForMailAsync("john@example.com");
        Assert.Contains("Second Factor Method Removed", removed.Message.Subject, StringComparison.Ordinal);
        Assert.Contains("'YubiKey'", removed.Text, StringComparison.Ordinal);

        await browser.LogoutAsync();
        await browser.LoginAsync("john");
        var (deletedStatus, _) = await browser.SecondFactorAsync(yubikey, pick: yubikey.Credentials[0]);
        Assert.Equal(HttpStatusCode.Unauthorized, deletedStatus);
        Assert.Equal(1, await browser.LevelAsync());
        var (remainingStatus, remainingBody) = await browser.SecondFactorAsync(laptop);
        Assert.True(remainingStatus == HttpStatusCode.OK, remainingBody);
        Assert.Equal(2, await browser.LevelAsync());
    }

    [Fact]
    public async Task Second_factor_redirects_to_a_safe_target_url_only()
    {
        await using var host = await PortalTestHost.StartAsync();
        var browser = new WebAuthnClient(host);
        var key = new SoftwareAuthenticator(browser.Origin);
        await browser.LoginAsync("john");
        await browser.ElevateAsync();
        await browser.RegisterAsync(key, "Key");

        var (_, options, _) = await browser.BeginAssertionAsync();
        var (status, body) = await browser.CompleteAssertionAsync(key.Get(options!.Value), "https://secure.example.com/page");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("https://secure.example.com/page", WebAuthnClient.DataOf(body).GetProperty("redirect").GetString());

        await browser.LogoutAsync();
        await browser.LoginAsync("john");
        (_, options, _) = await browser.BeginAssertionAsync();
        (status, body) = await browser.CompleteAssertionAsync(key.Get(options!.Value), "https://evil.com/");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.DoesNotContain("redirect", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Registration_options_exclude_existing_credentials_and_ask_for_credProps_and_the_configured_settings()
    {
        await using var host = await PortalTestHost.StartAsync("""
            webauthn:
              display_name: 'Home Portal'
              attestation_conveyance_preference: direct
              timeout: 45s
              selection_criteria:
                attachment: cross-platform
                discoverability: required
                user_verification: required
            """);
        var browser = new WebAuthnClient(host);
        var key = new SoftwareAuthenticator(browser.Origin);
        await browser.LoginAsync("john");
        await browser.ElevateAsync();
        await browser.RegisterAsync(key, "First");

        var (_, options, _) = await browser.BeginRegistrationAsync("Second");
        var o = options!.Value;
        Assert.Equal("auth.example.com", o.GetProperty("rp").GetProperty("id").GetString());
        Assert.Equal("Home Portal", o.GetProperty("rp").GetProperty("name").GetString());
        Assert.Equal("direct", o.GetProperty("attestation").GetString());
        Assert.Equal(45000, o.GetProperty("timeout").GetInt32());
        Assert.True(o.GetProperty("extensions").GetProperty("credProps").GetBoolean());
        var selection = o.GetProperty("authenticatorSelection");
        Assert.Equal("cross-platform", selection.GetProperty("authenticatorAttachment").GetString());
        Assert.Equal("required", selection.GetProperty("residentKey").GetString());
        Assert.True(selection.GetProperty("requireResidentKey").GetBoolean());
        Assert.Equal("required", selection.GetProperty("userVerification").GetString());
        Assert.Equal("john", o.GetProperty("user").GetProperty("name").GetString());
        Assert.Equal("John Doe", o.GetProperty("user").GetProperty("displayName").GetString());
        var excluded = o.GetProperty("excludeCredentials").EnumerateArray().Select(e => e.GetProperty("id").GetString()).ToList();
        Assert.Equal([System.Buffers.Text.Base64Url.EncodeToString(key.Credentials[0].Id)], excluded);
        // A conforming authenticator refuses to create a second credential for the same account.
        Assert.Throws<InvalidOperationException>(() => key.Create(o));
    }

    [Fact]
    public async Task The_user_handle_is_random_stable_and_per_user()
    {
        await using var host = await PortalTestHost.StartAsync();
        var john = new WebAuthnClient(host);
        var harry = new WebAuthnClient(host);
        await john.LoginAsync("john");
        await john.ElevateAsync();
        await harry.LoginAsync("harry");
        await harry.ElevateAsync();

        string Handle(JsonElement? o) => o!.Value.GetProperty("user").GetProperty("id").GetString()!;
        var first = Handle((await john.BeginRegistrationAsync("a")).PublicKey);
        var again = Handle((await john.BeginRegistrationAsync("b")).PublicKey);
        var other = Handle((await harry.BeginRegistrationAsync("a")).PublicKey);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.Equal(64, System.Buffers.Text.Base64Url.DecodeFromChars(first).Length);
        Assert.DoesNotContain("john", System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(first)), StringComparison.OrdinalIgnoreCase);
    }
}
