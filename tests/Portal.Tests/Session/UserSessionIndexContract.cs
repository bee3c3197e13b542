using Microsoft.Extensions.Logging.Abstractions;
using Portal.Configuration;
using Portal.Session;
using Portal.Users;
using SessionOptions = Portal.Session.SessionOptions;

namespace Portal.Tests.Session;

/// <summary>
/// <see cref="ISessionStore.ListForUserAsync"/> and <see cref="SessionProvider.RevokeAsync"/>, the same for every
/// store: what "your sessions" and "sign out everywhere" rely on.
/// </summary>
internal static class UserSessionIndexContract
{
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(5);

    private static UserSession SignedIn(string username)
    {
        var session = InMemorySessionStoreTests.SampleSession();
        session.SetUser(new UserDetails(username, username, [], []));
        return session;
    }

    public static async Task A_users_signed_in_sessions_are_listed_and_no_one_elses(ISessionStore store)
    {
        var user = "alice-" + SessionIds.New()[..8];
        var (first, second, other, anonymous) = (SessionIds.New(), SessionIds.New(), SessionIds.New(), SessionIds.New());
        await store.SaveAsync(first, SignedIn(user), Ttl, CancellationToken.None);
        await store.SaveAsync(second, SignedIn(user.ToUpperInvariant()), Ttl, CancellationToken.None);
        await store.SaveAsync(other, SignedIn("bob-" + user), Ttl, CancellationToken.None);
        await store.SaveAsync(anonymous, UserSession.NewAnonymous("example.com", DateTimeOffset.UtcNow), Ttl, CancellationToken.None);

        var listed = await store.ListForUserAsync(Usernames.Key(user), CancellationToken.None);

        Assert.Equal(new[] { first, second }.Order(), listed.Select(s => s.Id).Order());
        Assert.All(listed, s => Assert.Equal(Usernames.Key(user), Usernames.Key(s.Session.Username)));
    }

    public static async Task A_deleted_session_is_no_longer_listed(ISessionStore store)
    {
        var user = "carol-" + SessionIds.New()[..8];
        var (kept, deleted) = (SessionIds.New(), SessionIds.New());
        await store.SaveAsync(kept, SignedIn(user), Ttl, CancellationToken.None);
        await store.SaveAsync(deleted, SignedIn(user), Ttl, CancellationToken.None);

        await store.DeleteAsync(deleted, CancellationToken.None);

        Assert.Equal([kept], (await store.ListForUserAsync(Usernames.Key(user), CancellationToken.None)).Select(s => s.Id));
    }

    public static async Task Revoking_by_handle_ends_that_session_only_and_everywhere_keeps_the_current_one(ISessionStore store)
    {
        var sessions = new SessionProvider(
            new SessionOptions { Cookies = [new SessionCookieOptions { Domain = "example.com", AutheliaUrl = "https://auth.example.com" }] },
            store, TimeProvider.System, NullLoggerFactory.Instance);
        var user = "dave-" + SessionIds.New()[..8];
        var (current, laptop, phone) = (SessionIds.New(), SessionIds.New(), SessionIds.New());
        foreach (var id in new[] { current, laptop, phone })
        {
            await store.SaveAsync(id, SignedIn(user), Ttl, CancellationToken.None);
        }

        Assert.Equal(1, await sessions.RevokeAsync(user, [SessionHandles.Of(laptop)], keepId: current, CancellationToken.None));
        Assert.Null(await store.LoadAsync(laptop, CancellationToken.None));
        Assert.NotNull(await store.LoadAsync(phone, CancellationToken.None));

        Assert.Equal(1, await sessions.RevokeAsync(user, handles: null, keepId: current, CancellationToken.None));
        Assert.Null(await store.LoadAsync(phone, CancellationToken.None));
        Assert.Equal([current], (await sessions.ListForUserAsync(user, CancellationToken.None)).Select(s => s.Id));
    }
}
