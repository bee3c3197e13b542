using Portal.Tests.Support;
using Portal.Users;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Configuration;
using Portal.Session;
using SessionOptions = Portal.Session.SessionOptions;

namespace Portal.Tests.Session;

public sealed class SessionManagerTests
{
    private static readonly UserDetails Alice = new("alice", "Alice", ["alice@example.com"], ["admins"]);

    private readonly ManualTimeProvider _time = new();
    private readonly RecordingSessionStore _store;

    public SessionManagerTests() => _store = new RecordingSessionStore(_time);

    private SessionManager Manager(
        string sameSite = "lax", TimeSpan? expiration = null, TimeSpan? inactivity = null, TimeSpan? rememberMe = null) =>
        new(new SessionCookieSettings("example.com", "portal_session", sameSite, "https://auth.example.com", "",
                expiration ?? TimeSpan.FromHours(1), inactivity ?? TimeSpan.FromMinutes(5),
                rememberMe ?? TimeSpan.FromDays(30)),
            _store, _time, NullLogger<SessionManager>.Instance);

    private async Task<(SessionManager Manager, string Id)> SignedIn(SessionManager manager, bool keepMeLoggedIn = false)
    {
        var active = await manager.LoadAsync(null, CancellationToken.None);
        active.Session.SetOneFactorPassword(_time.GetUtcNow(), Alice, keepMeLoggedIn);
        await manager.RegenerateAsync(active, CancellationToken.None);
        return (manager, active.Id);
    }

    [Fact]
    public async Task Cookie_has_every_security_attribute_and_the_session_expiry()
    {
        var manager = Manager(sameSite: "strict");
        var active = await manager.LoadAsync(null, CancellationToken.None);
        active.Session.SetOneFactorPassword(_time.GetUtcNow(), Alice, keepMeLoggedIn: false);

        var cookie = await manager.SaveAsync(active, CancellationToken.None);

        Assert.Equal(
            $"portal_session={active.Id}; Expires=Sun, 01 Mar 2026 13:00:00 GMT; Max-Age=3600; Domain=example.com; " +
            "Path=/; Secure; HttpOnly; SameSite=Strict",
            cookie);
    }

    [Theory]
    [InlineData("lax", "SameSite=Lax")]
    [InlineData("none", "SameSite=None")]
    public void Cookie_same_site_follows_configuration(string sameSite, string expected)
    {
        var cookie = Manager(sameSite: sameSite).BuildCookie(SessionIds.New(), _time.GetUtcNow().AddHours(1), _time.GetUtcNow());

        Assert.EndsWith("; Secure; HttpOnly; " + expected, cookie, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Remembered_session_cookie_lasts_remember_me()
    {
        var manager = Manager(rememberMe: TimeSpan.FromDays(30));
        var active = await manager.LoadAsync(null, CancellationToken.None);
        active.Session.SetOneFactorPassword(_time.GetUtcNow(), Alice, keepMeLoggedIn: true);

        var cookie = await manager.SaveAsync(active, CancellationToken.None);

        Assert.Contains("; Expires=Tue, 31 Mar 2026 12:00:00 GMT; Max-Age=2592000;", cookie, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromDays(30), _store.Ttls[active.Id]);
    }

    [Fact]
    public async Task Destroy_deletes_the_session_and_expires_the_cookie()
    {
        var (manager, id) = await SignedIn(Manager());
        var active = await manager.LoadAsync(id, CancellationToken.None);

        var cookie = await manager.DestroyAsync(active, CancellationToken.None);

        Assert.Equal(
            "portal_session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Domain=example.com; Path=/; Secure; HttpOnly; SameSite=Lax",
            cookie);
        Assert.Equal(SessionLoadOutcome.NotFound, (await manager.LoadAsync(id, CancellationToken.None)).Outcome);
    }

    [Theory]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")] // 42 characters
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")] // 44 characters
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/+")] // base64, not base64url
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa*x")] // would be a Redis glob
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaé")]
    [InlineData("portal-session:aaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public async Task Malformed_cookie_value_is_refused_before_any_store_lookup(string value)
    {
        var active = await Manager().LoadAsync(value, CancellationToken.None);

        Assert.Equal(SessionLoadOutcome.Malformed, active.Outcome);
        Assert.True(active.CookieRejected);
        Assert.True(active.Session.IsAnonymous);
        Assert.NotEqual(value, active.Id);
        Assert.Empty(_store.Calls);
    }

    [Fact]
    public async Task Oversized_cookie_is_refused_before_any_store_lookup()
    {
        var active = await Manager().LoadFromCookieHeadersAsync(
            ["portal_session=" + new string('a', 64 * 1024)], CancellationToken.None);

        Assert.Equal(SessionLoadOutcome.Malformed, active.Outcome);
        Assert.Empty(_store.Calls);
    }

    [Fact]
    public async Task Two_session_cookies_are_refused_even_when_one_is_valid()
    {
        var (manager, id) = await SignedIn(Manager());
        _store.Calls.Clear();

        var active = await manager.LoadFromCookieHeadersAsync(
            [$"other=1; portal_session={id}", $"portal_session={SessionIds.New()}"], CancellationToken.None);

        Assert.Equal(SessionLoadOutcome.Duplicate, active.Outcome);
        Assert.True(active.Session.IsAnonymous);
        Assert.Empty(_store.Calls);
    }

    [Fact]
    public async Task Session_cookie_is_found_among_other_cookies()
    {
        var (manager, id) = await SignedIn(Manager());

        var active = await manager.LoadFromCookieHeadersAsync(
            [$"theme=dark; portal_session_other=x;  portal_session={id} ; lang=en"], CancellationToken.None);

        Assert.Equal(SessionLoadOutcome.Loaded, active.Outcome);
        Assert.Equal("alice", active.Session.Username);
    }

    [Fact]
    public async Task No_cookie_gives_a_new_unsaved_anonymous_session()
    {
        var active = await Manager().LoadFromCookieHeadersAsync([], CancellationToken.None);

        Assert.Equal(SessionLoadOutcome.NoCookie, active.Outcome);
        Assert.False(active.CookieRejected);
        Assert.True(SessionIds.IsWellFormed(active.Id));
        Assert.Equal(AuthenticationLevel.NotAuthenticated, active.Session.Level(passkeyUvCountsAsTwoFactor: true));
        Assert.Empty(_store.Calls);
    }

    [Fact]
    public async Task Unknown_well_formed_id_is_looked_up_then_replaced_with_a_new_id()
    {
        var forged = SessionIds.New();

        var active = await Manager().LoadAsync(forged, CancellationToken.None);

        Assert.Equal(SessionLoadOutcome.NotFound, active.Outcome);
        Assert.NotEqual(forged, active.Id);
        Assert.Equal(["load " + forged], _store.Calls);
    }

    [Fact]
    public async Task Regeneration_issues_a_new_id_and_deletes_the_old_one()
    {
        var manager = Manager();
        var active = await manager.LoadAsync(null, CancellationToken.None);
        active.Session.WebAuthnCeremony = new WebAuthnCeremony { Kind = WebAuthnCeremonyKind.Assertion, State = "s" };
        await manager.SaveAsync(active, CancellationToken.None);
        var preLoginId = active.Id;

        active.Session.SetOneFactorPassword(_time.GetUtcNow(), Alice, keepMeLoggedIn: false);
        var cookie = await manager.RegenerateAsync(active, CancellationToken.None);

        Assert.NotEqual(preLoginId, active.Id);
        Assert.StartsWith($"portal_session={active.Id};", cookie, StringComparison.Ordinal);
        Assert.Equal(SessionLoadOutcome.NotFound, (await manager.LoadAsync(preLoginId, CancellationToken.None)).Outcome);
        var reloaded = await manager.LoadAsync(active.Id, CancellationToken.None);
        Assert.Equal("alice", reloaded.Session.Username);
    }

    [Fact]
    public async Task Signed_in_session_idle_longer_than_inactivity_is_destroyed()
    {
        var (manager, id) = await SignedIn(Manager(inactivity: TimeSpan.FromMinutes(5)));

        _time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        var active = await manager.LoadAsync(id, CancellationToken.None);

        Assert.Equal(SessionLoadOutcome.Inactive, active.Outcome);
        Assert.True(active.Session.IsAnonymous);
        Assert.Contains("delete " + id, _store.Calls);
    }

    [Fact]
    public async Task Activity_within_inactivity_keeps_the_session_alive()
    {
        var (manager, id) = await SignedIn(Manager(inactivity: TimeSpan.FromMinutes(5)));

        for (var i = 0; i < 4; i++)
        {
            _time.Advance(TimeSpan.FromMinutes(4));
            var active = await manager.LoadAsync(id, CancellationToken.None);
            Assert.Equal(SessionLoadOutcome.Loaded, active.Outcome);
            Assert.NotNull(await manager.TouchAsync(active, CancellationToken.None));
        }
    }

    [Fact]
    public async Task Touch_shortens_the_store_ttl_to_the_inactivity_window()
    {
        var (manager, id) = await SignedIn(Manager(inactivity: TimeSpan.FromMinutes(5)));
        _time.Advance(TimeSpan.FromSeconds(10));
        var active = await manager.LoadAsync(id, CancellationToken.None);

        await manager.TouchAsync(active, CancellationToken.None);

        Assert.Equal(TimeSpan.FromMinutes(5), _store.Ttls[id]);
    }

    [Fact]
    public async Task Activity_is_written_back_at_most_once_per_granularity_and_never_lets_a_session_outlive_inactivity()
    {
        var (manager, id) = await SignedIn(Manager(inactivity: TimeSpan.FromMinutes(5)));
        Assert.Equal(TimeSpan.FromSeconds(5), manager.ActivityGranularity);
        var writes = _store.Calls.Count;

        // Requests every second: only one write per 5 s, however many requests.
        for (var i = 0; i < 12; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await manager.TouchAsync(await manager.LoadAsync(id, CancellationToken.None), CancellationToken.None);
        }
        Assert.Equal(2, _store.Calls.Skip(writes).Count(c => c.StartsWith("save", StringComparison.Ordinal)));

        // The last recorded activity is at most 5 s old, so idleness ends the session no later than 5 minutes after the last request.
        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(SessionLoadOutcome.Inactive, (await manager.LoadAsync(id, CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task An_activity_refresh_gives_way_to_a_ceremony_begun_by_a_concurrent_request()
    {
        var (manager, id) = await SignedIn(Manager(inactivity: TimeSpan.FromMinutes(5)));
        // An app's request passes the authz endpoint while the settings page begins a registration on the same session.
        var authz = await manager.LoadAsync(id, CancellationToken.None);
        var settings = await manager.LoadAsync(id, CancellationToken.None);
        settings.Session.WebAuthnCeremony = new WebAuthnCeremony { Kind = WebAuthnCeremonyKind.Attestation, State = "begun" };
        await manager.SaveAsync(settings, CancellationToken.None);

        var refresh = await manager.TouchAsync(authz, CancellationToken.None);

        Assert.Null(refresh);
        Assert.Equal("begun", (await manager.LoadAsync(id, CancellationToken.None)).Session.WebAuthnCeremony?.State);
    }

    [Fact]
    public async Task Remembered_session_ignores_inactivity()
    {
        var (manager, id) = await SignedIn(Manager(inactivity: TimeSpan.FromMinutes(5)), keepMeLoggedIn: true);

        _time.Advance(TimeSpan.FromDays(2));
        var active = await manager.LoadAsync(id, CancellationToken.None);

        Assert.Equal(SessionLoadOutcome.Loaded, active.Outcome);
        Assert.Null(await manager.TouchAsync(active, CancellationToken.None));
    }

    [Fact]
    public async Task Remembered_session_ends_after_remember_me()
    {
        var (manager, id) = await SignedIn(Manager(rememberMe: TimeSpan.FromDays(30)), keepMeLoggedIn: true);

        _time.Advance(TimeSpan.FromDays(30));

        Assert.Equal(SessionLoadOutcome.Expired, (await manager.LoadAsync(id, CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task Remember_me_is_ignored_when_disabled_by_configuration()
    {
        var manager = Manager(inactivity: TimeSpan.FromMinutes(5), rememberMe: TimeSpan.FromSeconds(-1));
        var (_, id) = await SignedIn(manager, keepMeLoggedIn: true);

        _time.Advance(TimeSpan.FromMinutes(6));

        Assert.False(manager.Cookie.RememberMeEnabled);
        Assert.Equal(SessionLoadOutcome.Inactive, (await manager.LoadAsync(id, CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task Session_ends_after_expiration_even_when_active()
    {
        var (manager, id) = await SignedIn(Manager(expiration: TimeSpan.FromHours(1), inactivity: TimeSpan.FromMinutes(5)));

        for (var i = 0; i < 14; i++)
        {
            _time.Advance(TimeSpan.FromMinutes(4));
            var active = await manager.LoadAsync(id, CancellationToken.None);
            Assert.Equal(SessionLoadOutcome.Loaded, active.Outcome);
            await manager.TouchAsync(active, CancellationToken.None);
        }
        _time.Advance(TimeSpan.FromMinutes(4));

        Assert.Equal(SessionLoadOutcome.Expired, (await manager.LoadAsync(id, CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task Anonymous_session_is_not_subject_to_inactivity()
    {
        var manager = Manager(expiration: TimeSpan.FromHours(1), inactivity: TimeSpan.FromMinutes(5));
        var active = await manager.LoadAsync(null, CancellationToken.None);
        await manager.SaveAsync(active, CancellationToken.None);

        _time.Advance(TimeSpan.FromMinutes(30));

        Assert.Equal(SessionLoadOutcome.Loaded, (await manager.LoadAsync(active.Id, CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task Session_presented_on_another_cookie_domain_is_destroyed()
    {
        var other = new SessionManager(
            new SessionCookieSettings("other.org", "portal_session", "lax", "https://auth.other.org", "",
                TimeSpan.FromHours(1), TimeSpan.FromMinutes(5), TimeSpan.FromDays(30)),
            _store, _time, NullLogger<SessionManager>.Instance);
        var (_, id) = await SignedIn(Manager());

        var active = await other.LoadAsync(id, CancellationToken.None);

        Assert.Equal(SessionLoadOutcome.DomainMismatch, active.Outcome);
        Assert.True(active.Session.IsAnonymous);
        Assert.Equal(SessionLoadOutcome.NotFound, (await Manager().LoadAsync(id, CancellationToken.None)).Outcome);
    }

    [Theory]
    [InlineData("example.com", "example.com")]
    [InlineData("app.example.com", "example.com")]
    [InlineData("A.B.EXAMPLE.COM", "example.com")]
    [InlineData("auth.other.org", "other.org")]
    [InlineData("evilexample.com", null)]
    [InlineData("example.com.evil.net", null)]
    [InlineData("com", null)]
    [InlineData("", null)]
    public void Host_resolves_to_the_first_cookie_whose_domain_covers_it(string host, string? expectedDomain)
    {
        var options = new SessionOptions
        {
            Cookies =
            [
                new SessionCookieOptions { Domain = "example.com", AutheliaUrl = "https://auth.example.com" },
                new SessionCookieOptions { Domain = "other.org", AutheliaUrl = "https://auth.other.org", Name = "o" },
            ],
        };
        var provider = new SessionProvider(options, _store, _time, NullLoggerFactory.Instance);

        Assert.Equal(expectedDomain, provider.ForHost(host)?.Cookie.Domain);
    }

    [Fact]
    public void Cookie_settings_inherit_unset_values_from_the_session_section()
    {
        var options = new SessionOptions
        {
            Name = "global_name",
            SameSite = "strict",
            Inactivity = TimeSpan.FromMinutes(10),
            RememberMe = TimeSpan.FromSeconds(-1),
        };
        var cookie = new SessionCookieOptions { Domain = "Example.com", Expiration = TimeSpan.FromHours(2) };

        var settings = SessionCookieSettings.From(options, cookie);

        Assert.Equal(
            new SessionCookieSettings("example.com", "global_name", "strict", "", "", TimeSpan.FromHours(2),
                TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(-1)),
            settings);
    }

    [Fact]
    public void Issued_ids_are_long_url_safe_and_distinct()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => SessionIds.New()).ToList();

        Assert.All(ids, id => Assert.True(SessionIds.IsWellFormed(id), id));
        Assert.All(ids, id => Assert.True(id.Length >= 32));
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
    }
}
