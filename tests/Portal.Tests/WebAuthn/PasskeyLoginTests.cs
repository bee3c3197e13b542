using System.Net;
using System.Security.Cryptography;
using System.Text;
using Portal.Users;
using Portal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static Portal.Tests.WebAuthn.PasskeyLoginSupport;

namespace Portal.Tests.WebAuthn;

/// <summary>
/// Passkey login (discoverable credential as the first factor), the password step after it, and the UV switch,
/// over HTTP against a real portal with a software authenticator. Registration uses the test elevation.
/// </summary>
public sealed class PasskeyLoginTests
{
    private const string SecureApp = "https://secure.example.com/";   // two_factor
    private const string OneFactorApp = "https://app.example.com/";   // one_factor

    [Fact]
    public async Task A_passkey_alone_is_one_factor_and_a_two_factor_app_needs_the_password_step()
    {
        await using var host = await PortalTestHost.StartAsync(PasskeyOn);
        var key = new SoftwareAuthenticator("https://auth.example.com");
        await RegisterAsync(host, "john", key);

        var browser = new WebAuthnClient(host);
        var (status, options, body) = await browser.BeginPasskeyLoginAsync();
        Assert.True(status == HttpStatusCode.OK, body);
        Assert.True(!options!.Value.TryGetProperty("allowCredentials", out var allow) || allow.GetArrayLength() == 0);
        var anonymousCookie = browser.Cookie;

        var (loginStatus, loginBody) = await browser.CompletePasskeyLoginAsync(key.Get(options.Value));
        Assert.True(loginStatus == HttpStatusCode.OK, loginBody);
        Assert.NotEqual(anonymousCookie, browser.Cookie);   // regenerated on login
        var state = await browser.StateAsync();
        Assert.Equal("John Doe", (await browser.StoredSessionAsync()).DisplayName);
        Assert.Equal("john", state.GetProperty("username").GetString());
        Assert.Equal(1, state.GetProperty("authentication_level").GetInt32());
        Assert.False(state.GetProperty("factor_knowledge").GetBoolean());   // the page asks for the password next

        Assert.Equal(HttpStatusCode.OK, await browser.ForwardAuthAsync(OneFactorApp));
        Assert.Equal(HttpStatusCode.Found, await browser.ForwardAuthAsync(SecureApp));

        var (wrong, wrongBody) = await browser.PasswordStepAsync("not-the-password", SecureApp);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong);
        Assert.Contains("Authentication failed. Check your credentials.", wrongBody, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Found, await browser.ForwardAuthAsync(SecureApp));

        var oneFactorCookie = browser.Cookie;
        var (stepStatus, stepBody) = await browser.PasswordStepAsync(PortalTestHost.Password, SecureApp);
        Assert.True(stepStatus == HttpStatusCode.OK, stepBody);
        Assert.Equal(SecureApp, RedirectOf(stepBody));
        Assert.NotEqual(oneFactorCookie, browser.Cookie);   // regenerated on the level change
        Assert.Equal(2, await browser.LevelAsync());
        Assert.Equal(HttpStatusCode.OK, await browser.ForwardAuthAsync(SecureApp));
        var amr = (await browser.StoredSessionAsync()).AuthenticationMethods.ToAmrValues();
        Assert.Contains("pwd", amr);
        Assert.Contains("pop", amr);
        Assert.Contains("mfa", amr);

        // The pre-login and 1FA ids are dead.
        using var old = await host.ForwardAuthAsync(SecureApp, cookie: oneFactorCookie);
        Assert.Equal(HttpStatusCode.Found, old.StatusCode);
    }

    [Fact]
    public async Task Passkey_login_handles_targetURL_requestMethod_and_keepMeLoggedIn_like_the_password_form()
    {
        await using var host = await PortalTestHost.StartAsync(PasskeyOn);
        var key = new SoftwareAuthenticator("https://auth.example.com");
        await RegisterAsync(host, "john", key);

        async Task<(HttpStatusCode, string)> Login(string? target, string? method = null, bool keep = false)
        {
            var browser = new WebAuthnClient(host);
            var result = await browser.PasskeyLoginAsync(key, targetUrl: target, requestMethod: method, keepMeLoggedIn: keep);
            if (keep)
            {
                Assert.True((await browser.StoredSessionAsync()).KeepMeLoggedIn);
            }
            return result;
        }

        var (status, body) = await Login(OneFactorApp + "page");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(OneFactorApp + "page", RedirectOf(body));
        // A two_factor target: signed in, but no redirect (the page goes to the password step).
        (status, body) = await Login(SecureApp);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Null(RedirectOf(body));
        (status, body) = await Login("https://evil.com/");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Null(RedirectOf(body));
        (status, body) = await Login(OneFactorApp, "POST", keep: true);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(OneFactorApp, RedirectOf(body));
    }

    [Theory]
    [InlineData(true, 2)]
    [InlineData(false, 1)]
    public async Task With_the_uv_switch_the_UV_flag_of_the_assertion_itself_decides_the_level(bool userVerified, int level)
    {
        await using var host = await PortalTestHost.StartAsync(Switches(uvTwoFactors: true));
        // Registered with UV either way: only the login assertion's flag may matter.
        var key = new SoftwareAuthenticator("https://auth.example.com") { UserVerified = true };
        await RegisterAsync(host, "john", key);

        var browser = new WebAuthnClient(host);
        var (status, body) = await browser.PasskeyLoginAsync(key, new Tamper { UserVerified = userVerified }, targetUrl: SecureApp);
        Assert.True(status == HttpStatusCode.OK, body);
        Assert.Equal(level, await browser.LevelAsync());
        Assert.Equal(userVerified, (await browser.StoredSessionAsync()).AuthenticationMethods.WebAuthnUserVerified);
        // Two factors answer with the two-factor response (redirect to the target); one factor does not redirect to a two_factor app.
        Assert.Equal(userVerified ? SecureApp : null, RedirectOf(body));
        Assert.Equal(userVerified ? HttpStatusCode.OK : HttpStatusCode.Found, await browser.ForwardAuthAsync(SecureApp));
        using var authRequest = await host.AuthRequestAsync(SecureApp, cookie: browser.Cookie);
        Assert.Equal(userVerified ? HttpStatusCode.OK : HttpStatusCode.Unauthorized, authRequest.StatusCode);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public async Task A_passkey_assertion_without_UV_never_yields_two_factors_whatever_the_switches(bool uvTwoFactors, bool upgrade)
    {
        await using var host = await PortalTestHost.StartAsync(Switches(uvTwoFactors, upgrade));
        var key = new SoftwareAuthenticator("https://auth.example.com") { UserVerified = false };
        await RegisterAsync(host, "john", key);

        var browser = new WebAuthnClient(host);
        var (status, body) = await browser.PasskeyLoginAsync(key, targetUrl: SecureApp);
        Assert.True(status == HttpStatusCode.OK, body);
        Assert.Null(RedirectOf(body));
        Assert.Equal(1, await browser.LevelAsync());
        Assert.Equal(HttpStatusCode.Found, await browser.ForwardAuthAsync(SecureApp));
    }

    [Fact]
    public async Task The_uv_switch_reaches_the_elevation_guard_too()
    {
        await using var host = await PortalTestHost.StartAsync(Switches(uvTwoFactors: true) + "identity_validation:\n  elevated_session:\n    skip_second_factor: true\n");
        var key = new SoftwareAuthenticator("https://auth.example.com");
        await RegisterAsync(host, "john", key, "First");

        // skip_second_factor lets a two-factor session manage credentials without the emailed code.
        var verified = new WebAuthnClient(host);
        Assert.Equal(HttpStatusCode.OK, (await verified.PasskeyLoginAsync(key, new Tamper { UserVerified = true })).Status);
        Assert.Equal(HttpStatusCode.OK, (await verified.BeginRegistrationAsync("Second")).Status);

        var unverified = new WebAuthnClient(host);
        Assert.Equal(HttpStatusCode.OK, (await unverified.PasskeyLoginAsync(key, new Tamper { UserVerified = false })).Status);
        var (status, _, body) = await unverified.BeginRegistrationAsync("Second");
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.True(WebAuthnClient.DataOf(body).GetProperty("elevation").GetBoolean());
    }

    [Fact]
    [Trait("Category", "Integration")] // every failure waits out the real failure delay
    public async Task Unknown_handle_missing_handle_another_users_handle_and_a_banned_user_get_one_identical_refusal()
    {
        await using var host = await PortalTestHost.StartAsync(PasskeyOn);
        var johnKey = new SoftwareAuthenticator("https://auth.example.com");
        var harryKey = new SoftwareAuthenticator("https://auth.example.com");
        await RegisterAsync(host, "john", johnKey);
        await RegisterAsync(host, "harry", harryKey);

        async Task<(HttpStatusCode Status, string Body)> Attempt(SoftwareAuthenticator key, Tamper? tamper = null)
        {
            var browser = new WebAuthnClient(host);
            var result = await browser.PasskeyLoginAsync(key, tamper);
            if (result.Status != HttpStatusCode.OK)
            {
                Assert.Equal(0, await browser.LevelAsync());
            }
            return result;
        }

        var unknown = await Attempt(harryKey, new Tamper { UserHandle = Encoding.ASCII.GetBytes(Convert.ToHexString(RandomNumberGenerator.GetBytes(32))) });
        var missing = await Attempt(harryKey, new Tamper { OmitUserHandle = true });
        // john's handle with harry's credential (a valid signature by harry's key).
        var crossed = await Attempt(harryKey, new Tamper { UserHandle = johnKey.Credentials[0].UserHandle });

        // Harry gets banned by the password form; his real passkey is then refused the same way.
        for (var i = 0; i < 3; i++)
        {
            using var failed = await host.FirstFactorAsync("harry", "wrong");
            Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        }
        var banned = await Attempt(harryKey);

        foreach (var refusal in new[] { unknown, missing, crossed, banned })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refusal.Status);
            Assert.Equal(unknown.Body, refusal.Body);
        }
        // john, not banned, still gets in with his own credential.
        Assert.Equal(HttpStatusCode.OK, (await Attempt(johnKey)).Status);
    }

    [Fact]
    [Trait("Category", "Integration")] // every failure waits out the real failure delay
    public async Task Passkey_failures_count_towards_the_ip_ban_that_also_stops_the_password_form()
    {
        await using var host = await PortalTestHost.StartAsync(PasskeyOn + "regulation:\n  modes: ['ip']\n");
        var key = new SoftwareAuthenticator("https://auth.example.com");
        await RegisterAsync(host, "john", key);

        for (var i = 0; i < 3; i++)
        {
            var attacker = new WebAuthnClient(host);
            Assert.Equal(HttpStatusCode.Unauthorized, (await attacker.PasskeyLoginAsync(key, new Tamper { CorruptSignature = true })).Status);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await new WebAuthnClient(host).PasskeyLoginAsync(key)).Status);
        using var password = await host.FirstFactorAsync("john", PortalTestHost.Password);
        Assert.Equal(HttpStatusCode.Unauthorized, password.StatusCode);
    }

    [Fact]
    [Trait("Category", "Integration")] // every failure waits out the real failure delay
    public async Task Password_step_failures_ban_the_user_everywhere_and_a_banned_user_cannot_finish_the_step()
    {
        await using var host = await PortalTestHost.StartAsync(PasskeyOn);
        var key = new SoftwareAuthenticator("https://auth.example.com");
        await RegisterAsync(host, "john", key);
        var browser = new WebAuthnClient(host);
        Assert.Equal(HttpStatusCode.OK, (await browser.PasskeyLoginAsync(key)).Status);

        var (_, wrongBody) = await browser.PasswordStepAsync("wrong");
        for (var i = 1; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await browser.PasswordStepAsync("wrong")).Status);
        }
        var (bannedStatus, bannedBody) = await browser.PasswordStepAsync(PortalTestHost.Password);
        Assert.Equal(HttpStatusCode.Unauthorized, bannedStatus);
        Assert.Equal(wrongBody, bannedBody);
        Assert.Equal(1, await browser.LevelAsync());

        using var form = await host.FirstFactorAsync("john", PortalTestHost.Password);
        Assert.Equal(HttpStatusCode.Unauthorized, form.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await new WebAuthnClient(host).PasskeyLoginAsync(key)).Status);
    }

    [Fact]
    public async Task The_password_step_is_only_for_a_passkey_session()
    {
        await using var host = await PortalTestHost.StartAsync(PasskeyOn);
        var anonymous = new WebAuthnClient(host);
        Assert.Equal(HttpStatusCode.Forbidden, (await anonymous.PasswordStepAsync(PortalTestHost.Password)).Status);

        var password = new WebAuthnClient(host);
        await password.LoginAsync("john");
        Assert.Equal(HttpStatusCode.Forbidden, (await password.PasswordStepAsync(PortalTestHost.Password)).Status);
        Assert.Equal(1, await password.LevelAsync());

        var (status, _) = await password.PasswordStepAsync("");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        using var garbage = await password.SendAsync(HttpMethod.Post, "/api/secondfactor/password", "{not json");
        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
    }

    [Fact]
    public async Task A_credential_recorded_as_not_discoverable_is_refused_for_passkey_login_but_still_works_as_a_second_factor()
    {
        await using var host = await PortalTestHost.StartAsync(PasskeyOn);
        var key = new SoftwareAuthenticator("https://auth.example.com");
        await RegisterAsync(host, "john", key, discoverable: false);

        var browser = new WebAuthnClient(host);
        var (status, _) = await browser.PasskeyLoginAsync(key);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(0, await browser.LevelAsync());

        await browser.LoginAsync("john");
        Assert.False((await browser.ListAsync())[0].GetProperty("discoverable").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await browser.SecondFactorAsync(key)).Status);
        Assert.False((await browser.ListAsync())[0].GetProperty("discoverable").GetBoolean());
    }

    [Fact]
    public async Task With_the_upgrade_switch_a_credential_that_works_as_a_passkey_is_accepted_and_marked_discoverable()
    {
        await using var host = await PortalTestHost.StartAsync(Switches(upgrade: true));
        var key = new SoftwareAuthenticator("https://auth.example.com");
        await RegisterAsync(host, "john", key, discoverable: false);

        var browser = new WebAuthnClient(host);
        var (status, body) = await browser.PasskeyLoginAsync(key);
        Assert.True(status == HttpStatusCode.OK, body);
        Assert.Equal(1, await browser.LevelAsync());
        var listed = await browser.ListAsync();
        Assert.True(listed[0].GetProperty("discoverable").GetBoolean());
        Assert.Equal(1u, listed[0].GetProperty("sign_count").GetUInt32());
    }

    [Fact]
    public async Task A_user_disabled_after_registering_a_passkey_cannot_log_in_with_it()
    {
        await using var host = await PortalTestHost.StartAsync(PasskeyOn + "authentication_backend:\n  file:\n    watch: true\n");
        var key = new SoftwareAuthenticator("https://auth.example.com");
        await RegisterAsync(host, "bob", key);
        Assert.Equal(HttpStatusCode.OK, (await new WebAuthnClient(host).PasskeyLoginAsync(key)).Status);

        var usersFile = Path.Combine(host.DirectoryPath, "users.yml");
        var users = await File.ReadAllTextAsync(usersFile);
        var bob = users.IndexOf("  bob:", StringComparison.Ordinal);
        var email = users.IndexOf("    email: 'bob@example.com'", bob, StringComparison.Ordinal);
        await File.WriteAllTextAsync(usersFile, users.Insert(email, "    disabled: true\n"));
        var provider = host.App.Services.GetRequiredService<IUserProvider>();
        await Eventually.UntilAsync("the watcher to reload the users file", () => provider.GetDetails("bob") is null);

        var browser = new WebAuthnClient(host);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.PasskeyLoginAsync(key)).Status);
        Assert.Equal(0, await browser.LevelAsync());
    }

    [Fact]
    public async Task A_passkey_login_ceremony_is_single_use_even_after_a_failed_attempt_and_across_session_ids()
    {
        await using var host = await PortalTestHost.StartAsync(PasskeyOn);
        var key = new SoftwareAuthenticator("https://auth.example.com");
        await RegisterAsync(host, "john", key);

        // A bad answer burns the ceremony: the good answer to the same challenge is refused afterwards.
        var first = new WebAuthnClient(host);
        var (_, options, _) = await first.BeginPasskeyLoginAsync();
        var good = key.Get(options!.Value);
        Assert.Equal(HttpStatusCode.Unauthorized, (await first.CompletePasskeyLoginAsync(key.Get(options.Value, new Tamper { CorruptSignature = true }))).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await first.CompletePasskeyLoginAsync(good)).Status);
        Assert.Equal(0, await first.LevelAsync());

        // A successful answer replayed with the pre-login cookie (whose id no longer exists) is refused.
        var second = new WebAuthnClient(host);
        (_, options, _) = await second.BeginPasskeyLoginAsync();
        var preLogin = second.Cookie;
        var answer = key.Get(options!.Value);
        Assert.Equal(HttpStatusCode.OK, (await second.CompletePasskeyLoginAsync(answer)).Status);
        var replayed = await ReplayWithCookieAsync(host, preLogin!, answer);
        Assert.Equal(HttpStatusCode.BadRequest, replayed);
        // Nor does the signed-in session accept it a second time.
        Assert.Equal(HttpStatusCode.BadRequest, (await second.CompletePasskeyLoginAsync(answer)).Status);
        Assert.Equal(1, await second.LevelAsync());
    }

    [Fact]
    public async Task The_state_tells_the_login_page_whether_passkey_login_is_on_and_the_routes_exist_only_then()
    {
        await using (var on = await PortalTestHost.StartAsync(PasskeyOn))
        {
            var browser = new WebAuthnClient(on);
            Assert.True((await browser.StateAsync()).GetProperty("passkey_login").GetBoolean());
            // A signed-in session does not start a passkey login.
            await browser.LoginAsync("john");
            Assert.Equal(HttpStatusCode.Forbidden, (await browser.BeginPasskeyLoginAsync()).Status);
            using var garbage = await new WebAuthnClient(on).SendAsync(HttpMethod.Post, "/api/firstfactor/passkey", "{\"response\": 1}");
            Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
        }
        await using var off = await PortalTestHost.StartAsync();
        var anonymous = new WebAuthnClient(off);
        Assert.False((await anonymous.StateAsync()).GetProperty("passkey_login").GetBoolean());
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.BeginPasskeyLoginAsync()).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.PasswordStepAsync(PortalTestHost.Password)).Status);
    }

    /// <summary>The POST a browser still holding the pre-login cookie would send.</summary>
    private static async Task<HttpStatusCode> ReplayWithCookieAsync(PortalTestHost host, string cookie, string answer)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/firstfactor/passkey")
        {
            Content = new StringContent($"{{\"response\":{answer}}}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Host = "auth.example.com";
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("Cookie", $"authelia_session={cookie}");
        using var response = await host.Client.SendAsync(request);
        return response.StatusCode;
    }
}
