using System.Net;
using Portal.Regulation;
using Portal.Tests.Storage;
using Portal.Tests.Support;

namespace Portal.Tests.Regulation;

/// <summary>
/// <see cref="IAuthenticationLogStore"/>, the same on every engine (<see cref="AuthenticationLogStoreTests"/> on SQLite,
/// <see cref="PostgresAuthenticationLogStoreTests"/> on a real PostgreSQL).
/// </summary>
public abstract class AuthenticationLogStoreContract : IDisposable
{
    private readonly IAuthenticationLogStore _store;

    private protected AuthenticationLogStoreContract(StoreEngine engine)
    {
        Engine = engine;
        _store = engine.AuthenticationLog();
    }

    private protected StoreEngine Engine { get; }

    private ManualTimeProvider Time => Engine.Time;

    public void Dispose()
    {
        Engine.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task Recent_attempts_come_back_newest_first_with_every_field()
    {
        var ip = IPAddress.Parse("2001:db8::1");
        await _store.AppendAsync(Time.GetUtcNow(), new(false, false, "alice", AuthenticationTypes.OneFactor, ip, "https://a/", "GET"));
        Time.Advance(TimeSpan.FromSeconds(1));
        await _store.AppendAsync(Time.GetUtcNow(), new(true, false, "alice", AuthenticationTypes.Passkey, ip, "https://b/", "POST"));

        var entries = await _store.ReadRecentAttemptsAsync(
            RegulationSubject.Ip, "2001:db8::1", Time.GetUtcNow().AddMinutes(-1), AuthenticationTypes.Regulated,
            failuresOnly: false, limit: 10);

        Assert.Equal(2, entries.Count);
        Assert.Equal(
            new AuthenticationLogEntry(entries[0].Id, Time.GetUtcNow(), true, false, "alice", "Passkey", "2001:db8::1", "https://b/", "POST"),
            entries[0]);
        Assert.Equal("https://a/", entries[1].RequestUri);
    }

    [Fact]
    public async Task Only_the_requested_auth_types_are_read()
    {
        var ip = IPAddress.Loopback;
        await _store.AppendAsync(Time.GetUtcNow(), new(false, false, "alice", AuthenticationTypes.OneFactor, ip, "", ""));
        await _store.AppendAsync(Time.GetUtcNow(), new(false, false, "alice", AuthenticationTypes.Passkey, ip, "", ""));

        var entries = await _store.ReadRecentAttemptsAsync(
            RegulationSubject.User, "alice", Time.GetUtcNow().AddMinutes(-1),
            new HashSet<string>(StringComparer.Ordinal) { AuthenticationTypes.Passkey }, failuresOnly: false, limit: 10);

        Assert.Equal(AuthenticationTypes.Passkey, Assert.Single(entries).AuthType);
    }

    [Fact]
    public async Task Bans_can_be_listed_and_revoked_by_id()
    {
        var now = Time.GetUtcNow();
        var expired = await _store.AddBanAsync(RegulationSubject.User, "bob", now.AddHours(-2), now.AddHours(-1), "regulation", null);
        var active = await _store.AddBanAsync(RegulationSubject.User, "Alice", now, now.AddMinutes(5), "cli", "manual");

        var inForce = await _store.ListBansAsync(RegulationSubject.User, now, includeInactive: false);
        var all = await _store.ListBansAsync(RegulationSubject.User, now, includeInactive: true);
        var revoked = await _store.RevokeBanAsync(RegulationSubject.User, active, now);
        var revokedAgain = await _store.RevokeBanAsync(RegulationSubject.User, active, now);

        var ban = Assert.Single(inForce);
        Assert.Equal((active, "alice", "cli", "manual"), (ban.Id, ban.Value, ban.Source, ban.Reason));
        Assert.Equal([active, expired], all.Select(b => b.Id));
        Assert.True(revoked);
        Assert.False(revokedAgain);
        Assert.Null(await _store.FindActiveBanAsync(RegulationSubject.User, "alice", now));
    }

    [Fact]
    public async Task An_ip_ban_on_something_that_is_not_an_address_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _store.AddBanAsync(
            RegulationSubject.Ip, "not-an-ip", Time.GetUtcNow(), null, "cli", null));
    }

    [Fact]
    public async Task Failures_from_every_node_count_for_one_user()
    {
        using var second = Engine.SecondNode();
        var other = second.AuthenticationLog();
        await _store.AppendAsync(Time.GetUtcNow(), new(false, false, "alice", AuthenticationTypes.OneFactor, IPAddress.Loopback, "", ""));
        await other.AppendAsync(Time.GetUtcNow(), new(false, false, "Alice", AuthenticationTypes.OneFactor, IPAddress.Loopback, "", ""));
        await other.AppendAsync(Time.GetUtcNow(), new(true, false, "alice", AuthenticationTypes.OneFactor, IPAddress.Loopback, "", ""));

        var failures = await _store.ReadRecentAttemptsAsync(
            RegulationSubject.User, "alice", Time.GetUtcNow().AddMinutes(-1), AuthenticationTypes.Regulated, failuresOnly: true, limit: 10);

        Assert.Equal(2, failures.Count);
        Assert.All(failures, f => Assert.False(f.Successful));
    }

    [Fact]
    public async Task A_permanent_ban_outranks_a_timed_one_and_an_expired_ban_is_not_found()
    {
        var now = Time.GetUtcNow();
        await _store.AddBanAsync(RegulationSubject.Ip, "192.0.2.7", now.AddHours(-2), now.AddHours(-1), "regulation", null);
        Assert.Null(await _store.FindActiveBanAsync(RegulationSubject.Ip, "192.0.2.7", now));
        await _store.AddBanAsync(RegulationSubject.Ip, "192.0.2.7", now, now.AddMinutes(5), "regulation", null);
        var permanent = await _store.AddBanAsync(RegulationSubject.Ip, "192.0.2.7", now, null, "cli", "for good");

        var ban = await _store.FindActiveBanAsync(RegulationSubject.Ip, "192.0.2.7", now);

        Assert.Equal((permanent, (DateTimeOffset?)null, "for good"), (ban!.Id, ban.Expires, ban.Reason));
        // Revoking by address revokes every ban of it not yet revoked, the expired one too.
        Assert.Equal(3, await _store.RevokeBansAsync(RegulationSubject.Ip, "192.0.2.7", now));
        Assert.Null(await _store.FindActiveBanAsync(RegulationSubject.Ip, "192.0.2.7", now));
    }
}
