using Portal.Session;

namespace Portal.Tests.Session;

/// <summary>
/// <see cref="ISessionStore.SaveIfUnchangedAsync"/>, the same for every store: a save that may lose (an activity
/// refresh) never overwrites what another request stored after it loaded the session.
/// </summary>
internal static class ConditionalSaveContract
{
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(5);

    /// <summary>Two requests load one session; the second begins a ceremony; the first's refresh must give way.</summary>
    public static async Task A_refresh_gives_way_to_a_save_made_since_it_loaded(ISessionStore store)
    {
        var id = SessionIds.New();
        var initial = InMemorySessionStoreTests.SampleSession();
        initial.WebAuthnCeremony = null;
        await store.SaveAsync(id, initial, Ttl, CancellationToken.None);
        var refreshing = (await store.LoadAsync(id, CancellationToken.None))!;
        var registering = (await store.LoadAsync(id, CancellationToken.None))!;

        registering.WebAuthnCeremony = new WebAuthnCeremony { Kind = WebAuthnCeremonyKind.Attestation, State = "begun" };
        await store.SaveAsync(id, registering, Ttl, CancellationToken.None);
        refreshing.LastActivity = refreshing.LastActivity.AddMinutes(1);
        var refreshed = await store.SaveIfUnchangedAsync(id, refreshing, Ttl, CancellationToken.None);

        Assert.False(refreshed);
        Assert.Equal("begun", (await store.LoadAsync(id, CancellationToken.None))?.WebAuthnCeremony?.State);
    }

    /// <summary>With nobody else writing, the refresh is stored, and a further one from the same request too.</summary>
    public static async Task A_refresh_of_an_unchanged_session_is_stored(ISessionStore store)
    {
        var id = SessionIds.New();
        await store.SaveAsync(id, InMemorySessionStoreTests.SampleSession(), Ttl, CancellationToken.None);
        var session = (await store.LoadAsync(id, CancellationToken.None))!;
        var seen = session.LastActivity.AddMinutes(1);

        session.LastActivity = seen;
        Assert.True(await store.SaveIfUnchangedAsync(id, session, Ttl, CancellationToken.None));
        session.LastActivity = seen.AddMinutes(1);
        Assert.True(await store.SaveIfUnchangedAsync(id, session, Ttl, CancellationToken.None));

        Assert.Equal(seen.AddMinutes(1), (await store.LoadAsync(id, CancellationToken.None))?.LastActivity);
    }

    /// <summary>A session deleted meanwhile (signed out elsewhere) is not brought back by a refresh.</summary>
    public static async Task A_refresh_does_not_bring_back_a_deleted_session(ISessionStore store)
    {
        var id = SessionIds.New();
        await store.SaveAsync(id, InMemorySessionStoreTests.SampleSession(), Ttl, CancellationToken.None);
        var session = (await store.LoadAsync(id, CancellationToken.None))!;
        await store.DeleteAsync(id, CancellationToken.None);

        Assert.False(await store.SaveIfUnchangedAsync(id, session, Ttl, CancellationToken.None));
        Assert.Null(await store.LoadAsync(id, CancellationToken.None));
    }
}
