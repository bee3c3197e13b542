using Portal.Tests.Support;
using Portal.Users;
using Portal.Session;

namespace Portal.Tests.Session;

public sealed class InMemorySessionStoreTests
{
    private readonly ManualTimeProvider _time = new();

    [Fact]
    public Task A_refresh_gives_way_to_a_save_made_since_it_loaded() => ConditionalSaveContract.A_refresh_gives_way_to_a_save_made_since_it_loaded(new InMemorySessionStore(_time));

    [Fact]
    public Task A_refresh_of_an_unchanged_session_is_stored() => ConditionalSaveContract.A_refresh_of_an_unchanged_session_is_stored(new InMemorySessionStore(_time));

    [Fact]
    public Task A_refresh_does_not_bring_back_a_deleted_session() => ConditionalSaveContract.A_refresh_does_not_bring_back_a_deleted_session(new InMemorySessionStore(_time));

    [Fact]
    public Task A_users_signed_in_sessions_are_listed_and_no_one_elses() => UserSessionIndexContract.A_users_signed_in_sessions_are_listed_and_no_one_elses(new InMemorySessionStore(TimeProvider.System));

    [Fact]
    public Task A_deleted_session_is_no_longer_listed() => UserSessionIndexContract.A_deleted_session_is_no_longer_listed(new InMemorySessionStore(TimeProvider.System));

    [Fact]
    public Task Revoking_by_handle_ends_that_session_only_and_everywhere_keeps_the_current_one() => UserSessionIndexContract.Revoking_by_handle_ends_that_session_only_and_everywhere_keeps_the_current_one(new InMemorySessionStore(TimeProvider.System));

    [Fact]
    public async Task Saved_session_loads_back_with_its_fields()
    {
        var store = new InMemorySessionStore(_time);
        var id = SessionIds.New();
        var session = SampleSession();

        await store.SaveAsync(id, session, TimeSpan.FromMinutes(5), CancellationToken.None);
        var loaded = await store.LoadAsync(id, CancellationToken.None);

        Assert.NotNull(loaded);
        Assert.Equal("alice", loaded.Username);
        Assert.Equal(["admins", "dev"], loaded.Groups);
        Assert.True(loaded.AuthenticationMethods.WebAuthnUserVerified);
        Assert.Equal(WebAuthnCeremonyKind.Assertion, loaded.WebAuthnCeremony?.Kind);
        Assert.Equal("10.0.0.1", loaded.Elevation?.RemoteIp);
    }

    [Fact]
    public async Task Session_is_gone_once_its_ttl_has_passed()
    {
        var store = new InMemorySessionStore(_time);
        var id = SessionIds.New();
        await store.SaveAsync(id, SampleSession(), TimeSpan.FromMinutes(5), CancellationToken.None);

        _time.Advance(TimeSpan.FromMinutes(4) + TimeSpan.FromSeconds(59));
        Assert.NotNull(await store.LoadAsync(id, CancellationToken.None));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(await store.LoadAsync(id, CancellationToken.None));
    }

    [Fact]
    public async Task Saving_again_reapplies_the_ttl()
    {
        var store = new InMemorySessionStore(_time);
        var id = SessionIds.New();
        await store.SaveAsync(id, SampleSession(), TimeSpan.FromMinutes(5), CancellationToken.None);

        _time.Advance(TimeSpan.FromMinutes(4));
        await store.SaveAsync(id, SampleSession(), TimeSpan.FromMinutes(5), CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(4));

        Assert.NotNull(await store.LoadAsync(id, CancellationToken.None));
    }

    [Fact]
    public async Task Expired_entries_are_swept_without_being_loaded()
    {
        var store = new InMemorySessionStore(_time);
        for (var i = 0; i < 10; i++)
        {
            await store.SaveAsync(SessionIds.New(), SampleSession(), TimeSpan.FromSeconds(30), CancellationToken.None);
        }
        var survivor = SessionIds.New();
        await store.SaveAsync(survivor, SampleSession(), TimeSpan.FromHours(1), CancellationToken.None);
        Assert.Equal(11, store.Count);

        _time.Advance(InMemorySessionStore.SweepInterval);
        await store.LoadAsync(survivor, CancellationToken.None);

        Assert.Equal(1, store.Count);
    }

    [Fact]
    public async Task Changing_a_session_after_saving_does_not_change_the_stored_copy()
    {
        var store = new InMemorySessionStore(_time);
        var id = SessionIds.New();
        var session = SampleSession();
        await store.SaveAsync(id, session, TimeSpan.FromMinutes(5), CancellationToken.None);

        session.Username = "mallory";

        Assert.Equal("alice", (await store.LoadAsync(id, CancellationToken.None))?.Username);
    }

    [Fact]
    public async Task Deleted_session_no_longer_loads()
    {
        var store = new InMemorySessionStore(_time);
        var id = SessionIds.New();
        await store.SaveAsync(id, SampleSession(), TimeSpan.FromMinutes(5), CancellationToken.None);

        await store.DeleteAsync(id, CancellationToken.None);

        Assert.Null(await store.LoadAsync(id, CancellationToken.None));
    }

    internal static UserSession SampleSession()
    {
        var now = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var session = UserSession.NewAnonymous("example.com", now);
        session.SetOneFactorPasskey(now, new UserDetails("alice", "Alice Liddell", ["alice@example.com"], ["admins", "dev"]),
            keepMeLoggedIn: false, crossPlatform: false, userPresent: true, userVerified: true);
        session.Elevation = new SessionElevation { Id = "e1", RemoteIp = "10.0.0.1", Expires = now.AddMinutes(10) };
        session.WebAuthnCeremony = new WebAuthnCeremony
        {
            Kind = WebAuthnCeremonyKind.Assertion, State = "opaque-state", Description = "", CreatedAt = now,
        };
        return session;
    }
}
