using Portal.Session;
using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Text.Json;
using Portal.Tests.Support;

namespace Portal.Tests.WebAuthn;

/// <summary>
/// Every forged, replayed or misdirected WebAuthn response (webauthn-testing.md, peers-and-security §4b.10–11) is
/// refused with a 4xx, leaves the session at its level and changes nothing stored.
/// </summary>
public sealed class WebAuthnTamperTests
{
    public static TheoryData<string, Tamper> AssertionTampers => new()
    {
        { "wrong origin", new Tamper { Origin = "https://evil.example.com" } },
        { "origin of the other portal", new Tamper { Origin = "https://auth.example.net" } },
        { "origin over http", new Tamper { Origin = "http://auth.example.com" } },
        { "RP ID hash of the cookie domain", new Tamper { RpIdForHash = "example.com" } },
        { "RP ID hash of another site", new Tamper { RpIdForHash = "evil.example.com" } },
        { "made-up challenge", new Tamper { Challenge = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" } },
        { "bad signature", new Tamper { CorruptSignature = true } },
        { "UP missing", new Tamper { UserPresent = false } },
        { "type webauthn.create in an assertion", new Tamper { Type = "webauthn.create" } },
        { "BE flips 0 to 1", new Tamper { BackupEligible = true } },
        { "BS without BE", new Tamper { BackedUp = true } },
        { "user handle of someone else", new Tamper { UserHandle = "someone-else-entirely"u8.ToArray() } },
    };

    public static TheoryData<string, Tamper> RegistrationTampers => new()
    {
        { "wrong origin", new Tamper { Origin = "https://evil.example.com" } },
        { "RP ID hash of the cookie domain", new Tamper { RpIdForHash = "example.com" } },
        { "made-up challenge", new Tamper { Challenge = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" } },
        { "UP missing", new Tamper { UserPresent = false } },
        { "type webauthn.get in a registration", new Tamper { Type = "webauthn.get" } },
        { "BS without BE", new Tamper { BackedUp = true } },
    };

    [Theory]
    [MemberData(nameof(AssertionTampers))]
    public async Task Tampered_assertion_is_refused_and_changes_nothing(string name, Tamper tamper)
    {
        var (host, browser, key) = await ArrangeAsync();
        await using var _ = host;
        await browser.LogoutAsync();
        await browser.LoginAsync("john");
        var before = browser.Snapshot();

        var (status, body) = await browser.SecondFactorAsync(key, tamper);

        Assert.True(status == HttpStatusCode.Unauthorized, $"{name}: {(int)status} {body}");
        Assert.Equal(1, await browser.LevelAsync());
        Assert.Equal(before, browser.Snapshot());
    }

    [Theory]
    [MemberData(nameof(RegistrationTampers))]
    public async Task Tampered_registration_is_refused_and_stores_nothing(string name, Tamper tamper)
    {
        var (host, browser, _) = await ArrangeAsync();
        await using var _ = host;
        var before = browser.Snapshot();
        var (_, options, _) = await browser.BeginRegistrationAsync("Second");

        var (status, body) = await browser.CompleteRegistrationAsync(new SoftwareAuthenticator(browser.Origin).Create(options!.Value, tamper));

        Assert.True(status == HttpStatusCode.BadRequest, $"{name}: {(int)status} {body}");
        Assert.Equal(before, browser.Snapshot());
    }

    [Fact]
    public async Task Assertion_without_user_verification_is_refused_when_it_is_required()
    {
        var (host, browser, key) = await ArrangeAsync(UserVerificationRequired);
        await using var _ = host;
        await browser.LogoutAsync();
        await browser.LoginAsync("john");
        var before = browser.Snapshot();

        var (status, _) = await browser.SecondFactorAsync(key, new Tamper { UserVerified = false });

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(before, browser.Snapshot());
        var (ok, body) = await browser.SecondFactorAsync(key);
        Assert.True(ok == HttpStatusCode.OK, body);
    }

    [Fact]
    public async Task Registration_without_user_verification_is_refused_when_it_is_required()
    {
        var (host, browser, _) = await ArrangeAsync(UserVerificationRequired);
        await using var _ = host;
        var before = browser.Snapshot();
        var (_, options, _) = await browser.BeginRegistrationAsync("Second");

        var (status, _) = await browser.CompleteRegistrationAsync(new SoftwareAuthenticator(browser.Origin) { UserVerified = false }.Create(options!.Value));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(before, browser.Snapshot());
    }

    [Fact]
    public async Task Assertion_without_user_verification_is_accepted_when_it_is_only_preferred()
    {
        var (host, browser, key) = await ArrangeAsync();
        await using var _ = host;
        await browser.LogoutAsync();
        await browser.LoginAsync("john");

        var (status, body) = await browser.SecondFactorAsync(key, new Tamper { UserVerified = false });

        Assert.True(status == HttpStatusCode.OK, body);
        Assert.Equal(2, await browser.LevelAsync());
    }

    [Fact]
    public async Task A_response_captured_from_an_earlier_login_is_refused_in_a_new_ceremony()
    {
        var (host, browser, key) = await ArrangeAsync();
        await using var _ = host;
        var (_, options, _) = await browser.BeginAssertionAsync();
        var captured = key.Get(options!.Value, new Tamper { SignCount = 0 });
        var (first, firstBody) = await browser.CompleteAssertionAsync(captured);
        Assert.True(first == HttpStatusCode.OK, firstBody);
        await browser.LogoutAsync();
        await browser.LoginAsync("john");
        var before = browser.Snapshot();

        await browser.BeginAssertionAsync();
        var (replayed, _) = await browser.CompleteAssertionAsync(captured);

        Assert.Equal(HttpStatusCode.Unauthorized, replayed);
        Assert.Equal(1, await browser.LevelAsync());
        Assert.Equal(before, browser.Snapshot());
    }

    [Fact]
    public async Task A_challenge_issued_to_another_session_is_refused()
    {
        var (host, browser, key) = await ArrangeAsync();
        await using var _ = host;
        var attacker = new WebAuthnClient(host);
        await attacker.LoginAsync("john");
        var (_, foreignOptions, _) = await attacker.BeginAssertionAsync();
        await browser.LogoutAsync();
        await browser.LoginAsync("john");
        await browser.BeginAssertionAsync();
        var before = browser.Snapshot();

        var (status, _) = await browser.CompleteAssertionAsync(key.Get(foreignOptions!.Value));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(1, await browser.LevelAsync());
        Assert.Equal(before, browser.Snapshot());
    }

    [Fact]
    public async Task A_registration_challenge_issued_to_another_session_is_refused()
    {
        var (host, browser, _) = await ArrangeAsync();
        await using var _ = host;
        var other = new WebAuthnClient(host);
        await other.LoginAsync("john");
        await other.ElevateAsync();
        var (_, foreignOptions, _) = await other.BeginRegistrationAsync("Other");
        await browser.BeginRegistrationAsync("Mine");
        var before = browser.Snapshot();

        var (status, _) = await browser.CompleteRegistrationAsync(new SoftwareAuthenticator(browser.Origin).Create(foreignOptions!.Value));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(before, browser.Snapshot());
    }

    [Fact]
    public async Task An_assertion_ceremony_can_be_completed_only_once_even_with_a_zero_counter()
    {
        // Counter 0/0 (synced passkeys) disables the counter check, so single use is the only replay guard.
        var (host, browser, key) = await ArrangeAsync();
        await using var _ = host;
        await browser.LogoutAsync();
        await browser.LoginAsync("john");
        var (_, options, _) = await browser.BeginAssertionAsync();
        var response = key.Get(options!.Value, new Tamper { SignCount = 0 });
        var (first, firstBody) = await browser.CompleteAssertionAsync(response);
        Assert.True(first == HttpStatusCode.OK, firstBody);
        var before = browser.Snapshot();

        var (second, _) = await browser.CompleteAssertionAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, second);   // no ceremony left
        Assert.Equal(before, browser.Snapshot());
    }

    [Fact]
    public async Task A_registration_ceremony_can_be_completed_only_once()
    {
        var (host, browser, _) = await ArrangeAsync();
        await using var _ = host;
        var (_, options, _) = await browser.BeginRegistrationAsync("Second");
        var response = new SoftwareAuthenticator(browser.Origin).Create(options!.Value);
        var (first, firstBody) = await browser.CompleteRegistrationAsync(response);
        Assert.True(first == HttpStatusCode.Created, firstBody);
        var before = browser.Snapshot();

        var (second, _) = await browser.CompleteRegistrationAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, second);
        Assert.Equal(before, browser.Snapshot());
        Assert.Equal(2, (await browser.ListAsync()).Count);
    }

    [Fact]
    public async Task A_registration_ceremony_read_by_two_racing_requests_is_completed_only_once()
    {
        // Two requests with one session can both load the pending ceremony before either clears it. Replaying the
        // stored session as it was before the first completion reproduces that window deterministically.
        var (host, browser, _) = await ArrangeAsync();
        await using var _ = host;
        var (_, options, _) = await browser.BeginRegistrationAsync("Second");
        var store = host.App.Services.GetRequiredService<ISessionStore>();
        var pending = System.Text.Json.JsonSerializer.Serialize(await store.LoadAsync(browser.Cookie!, CancellationToken.None));
        var (first, firstBody) = await browser.CompleteRegistrationAsync(new SoftwareAuthenticator(browser.Origin).Create(options!.Value));
        Assert.True(first == HttpStatusCode.Created, firstBody);

        await store.SaveAsync(browser.Cookie!, System.Text.Json.JsonSerializer.Deserialize<UserSession>(pending)!, TimeSpan.FromHours(1), CancellationToken.None);
        var (second, _) = await browser.CompleteRegistrationAsync(new SoftwareAuthenticator(browser.Origin).Create(options.Value));

        Assert.Equal(HttpStatusCode.BadRequest, second);
        Assert.Equal(2, (await browser.ListAsync()).Count);
    }

    [Fact]
    public async Task A_failed_completion_also_uses_up_the_ceremony()
    {
        var (host, browser, key) = await ArrangeAsync();
        await using var _ = host;
        await browser.LogoutAsync();
        await browser.LoginAsync("john");
        var (_, options, _) = await browser.BeginAssertionAsync();
        var (bad, _) = await browser.CompleteAssertionAsync(key.Get(options!.Value, new Tamper { CorruptSignature = true }));
        Assert.Equal(HttpStatusCode.Unauthorized, bad);

        var (good, _) = await browser.CompleteAssertionAsync(key.Get(options.Value));

        Assert.Equal(HttpStatusCode.BadRequest, good);   // no ceremony left
        Assert.Equal(1, await browser.LevelAsync());
    }

    [Fact]
    public async Task A_ceremony_older_than_the_webauthn_timeout_is_refused()
    {
        var (host, browser, key) = await ArrangeAsync(manualClock: true);
        await using var _ = host;
        await browser.LogoutAsync();
        await browser.LoginAsync("john");
        var (_, options, _) = await browser.BeginAssertionAsync();
        host.Time!.Advance(TimeSpan.FromSeconds(61));
        var before = browser.Snapshot();

        var (status, _) = await browser.CompleteAssertionAsync(key.Get(options!.Value));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(before, browser.Snapshot());
    }

    [Fact]
    public async Task A_counter_that_does_not_increase_sets_the_clone_warning_and_refuses_with_403_from_then_on()
    {
        var (host, browser, key) = await ArrangeAsync();
        await using var _ = host;
        var (ok, okBody) = await browser.SecondFactorAsync(key);   // stored counter becomes 1
        Assert.True(ok == HttpStatusCode.OK, okBody);
        await browser.LogoutAsync();
        await browser.LoginAsync("john");
        var before = browser.Snapshot();

        var (cloned, _) = await browser.SecondFactorAsync(key, new Tamper { SignCount = 1 });

        Assert.Equal(HttpStatusCode.Forbidden, cloned);
        Assert.Equal(1, await browser.LevelAsync());
        var credential = Assert.Single(await browser.ListAsync());
        Assert.True(credential.GetProperty("clone_warning").GetBoolean());
        Assert.Equal(1u, credential.GetProperty("sign_count").GetUInt32());
        Assert.Equal(before.Replace("clone_warning=0", "clone_warning=1", StringComparison.Ordinal), browser.Snapshot());
        // The flag sticks: even a higher counter is refused until the credential is replaced.
        var (later, _) = await browser.SecondFactorAsync(key, new Tamper { SignCount = 50 });
        Assert.Equal(HttpStatusCode.Forbidden, later);
    }

    [Fact]
    [Trait("Category", "Integration")] // concurrency stress, seconds on two cores
    public async Task Of_concurrent_assertions_from_cloned_authenticators_with_the_same_counter_exactly_one_passes_and_the_clone_warning_is_set()
    {
        // Regulation off: the test is about the counter rule, not about bans after the refusals.
        var (host, browser, _) = await ArrangeAsync("regulation:\n  max_retries: 0\n");
        await using var __ = host;
        const int clones = 32;
        // A lost race shows up in some rounds only; several rounds (each with a fresh key, as the warning sticks)
        // make a check-then-write counter rule fail this test nearly every run.
        for (var round = 0; round < 4; round++)
        {
            var key = new SoftwareAuthenticator(browser.Origin);
            await browser.RegisterAsync(key, $"Key {round}");
            // Signed in and ceremonies begun in parallel, so every client has its own warm connection.
            var begun = await Task.WhenAll(Enumerable.Range(0, clones).Select(_ => Task.Run(async () =>
            {
                var client = new WebAuthnClient(host);
                await client.LoginAsync("john");
                var (status, options, body) = await client.BeginAssertionAsync();
                Assert.True(status == HttpStatusCode.OK, body);
                return (Client: client, Options: options!.Value);
            })));
            // Copies of one authenticator: each signs its own ceremony, all with the same next counter.
            var signed = begun.Select(b => (b.Client, Response: key.Get(b.Options, new Tamper { SignCount = 7 }))).ToList();
            var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var posts = signed.Select(s => Task.Run(async () =>
            {
                await go.Task;
                return (await s.Client.CompleteAssertionAsync(s.Response)).Status;
            })).ToList();

            go.SetResult();
            var statuses = await Task.WhenAll(posts);

            Assert.Single(statuses, s => s == HttpStatusCode.OK);
            Assert.All(statuses.Where(s => s != HttpStatusCode.OK), s => Assert.Equal(HttpStatusCode.Forbidden, s));
            var credential = (await browser.ListAsync()).Single(c => c.GetProperty("description").GetString() == $"Key {round}");
            Assert.True(credential.GetProperty("clone_warning").GetBoolean());
            Assert.Equal(7u, credential.GetProperty("sign_count").GetUInt32());
        }
    }

    [Fact]
    public async Task A_zero_counter_after_a_non_zero_one_is_a_clone_warning()
    {
        var (host, browser, key) = await ArrangeAsync();
        await using var _ = host;
        await browser.SecondFactorAsync(key);
        await browser.LogoutAsync();
        await browser.LoginAsync("john");

        var (status, _) = await browser.SecondFactorAsync(key, new Tamper { SignCount = 0 });

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.True(Assert.Single(await browser.ListAsync()).GetProperty("clone_warning").GetBoolean());
    }

    [Fact]
    public async Task Zero_counters_of_synced_passkeys_are_accepted_in_every_new_ceremony()
    {
        var (host, browser, key) = await ArrangeAsync();
        await using var _ = host;
        for (var i = 0; i < 2; i++)
        {
            await browser.LogoutAsync();
            await browser.LoginAsync("john");
            var (status, body) = await browser.SecondFactorAsync(key, new Tamper { SignCount = 0 });
            Assert.True(status == HttpStatusCode.OK, body);
        }
        Assert.False(Assert.Single(await browser.ListAsync()).GetProperty("clone_warning").GetBoolean());
    }

    [Fact]
    public async Task Another_users_credential_is_refused_as_second_factor()
    {
        var (host, browser, _) = await ArrangeAsync();
        await using var _ = host;
        var harry = new WebAuthnClient(host);
        var harrysKey = new SoftwareAuthenticator(harry.Origin);
        await harry.LoginAsync("harry");
        await harry.ElevateAsync();
        await harry.RegisterAsync(harrysKey, "Harry's key");
        await browser.LogoutAsync();
        await browser.LoginAsync("john");
        var before = browser.Snapshot();

        // John's options list only John's credentials; the client answers with Harry's anyway.
        var (status, _) = await browser.SecondFactorAsync(harrysKey, pick: harrysKey.Credentials[0]);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(1, await browser.LevelAsync());
        Assert.Equal(before, browser.Snapshot());
    }

    [Fact]
    public async Task The_same_authenticator_cannot_be_registered_twice()
    {
        var (host, browser, key) = await ArrangeAsync();
        await using var _ = host;
        var before = browser.Snapshot();
        var (_, options, _) = await browser.BeginRegistrationAsync("Again");

        // A client that ignores excludeCredentials and re-registers the same credential ID.
        var (status, body) = await browser.CompleteRegistrationAsync(key.Create(options!.Value, reuse: key.Credentials[0]));

        Assert.True(status == HttpStatusCode.Conflict, body);
        Assert.Equal(before, browser.Snapshot());
    }

    [Fact]
    public async Task A_credential_id_registered_to_one_user_cannot_be_registered_to_another()
    {
        var (host, browser, key) = await ArrangeAsync();
        await using var _ = host;
        var harry = new WebAuthnClient(host);
        await harry.LoginAsync("harry");
        await harry.ElevateAsync();
        var (_, options, _) = await harry.BeginRegistrationAsync("Stolen");
        var before = browser.Snapshot();

        var (status, _) = await harry.CompleteRegistrationAsync(key.Create(options!.Value, reuse: key.Credentials[0]));

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal(before.Split('\n').Count(l => l.StartsWith("webauthn_credentials", StringComparison.Ordinal)),
            browser.Snapshot().Split('\n').Count(l => l.StartsWith("webauthn_credentials", StringComparison.Ordinal)));
        Assert.Empty(await harry.ListAsync());
    }

    [Fact]
    public async Task A_banned_user_is_refused_the_second_factor_even_with_a_valid_key()
    {
        var (host, browser, key) = await ArrangeAsync();
        await using var _ = host;
        await browser.LogoutAsync();
        await browser.LoginAsync("john");
        for (var i = 0; i < 3; i++)
        {
            using var wrong = await host.FirstFactorAsync("john", "wrong");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }
        var before = browser.Snapshot();

        var (status, body) = await browser.SecondFactorAsync(key);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("Authentication failed", body, StringComparison.Ordinal);
        Assert.Equal(1, await browser.LevelAsync());
        Assert.Equal(before, browser.Snapshot());
    }

    private const string UserVerificationRequired = """
        webauthn:
          selection_criteria:
            user_verification: required
        """;

    /// <summary>John logged in, elevated, with one registered key ("Key").</summary>
    internal static async Task<(PortalTestHost Host, WebAuthnClient Browser, SoftwareAuthenticator Key)> ArrangeAsync(string? extraYaml = null, bool manualClock = false)
    {
        var host = await PortalTestHost.StartAsync(extraYaml, manualClock);
        try
        {
            var browser = new WebAuthnClient(host);
            var key = new SoftwareAuthenticator(browser.Origin);
            await browser.LoginAsync("john");
            await browser.ElevateAsync();
            await browser.RegisterAsync(key, "Key");
            return (host, browser, key);
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }
}
