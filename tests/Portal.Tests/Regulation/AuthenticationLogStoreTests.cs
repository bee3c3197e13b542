using System.Net;
using Portal.Regulation;
using Portal.Storage;
using Portal.Storage.Sqlite;
using Portal.Tests.Storage;

namespace Portal.Tests.Regulation;

public sealed class AuthenticationLogStoreTests : IDisposable
{
    private readonly TestDatabase _database = new();
    private readonly SqliteAuthenticationLogStore _store;

    public AuthenticationLogStoreTests() => _store = new SqliteAuthenticationLogStore(_database.Database);

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Recent_attempts_come_back_newest_first_with_every_field()
    {
        var ip = IPAddress.Parse("2001:db8::1");
        await _store.AppendAsync(_database.Time.GetUtcNow(), new(false, false, "alice", AuthenticationTypes.OneFactor, ip, "https://a/", "GET"));
        _database.Time.Advance(TimeSpan.FromSeconds(1));
        await _store.AppendAsync(_database.Time.GetUtcNow(), new(true, false, "alice", AuthenticationTypes.Passkey, ip, "https://b/", "POST"));

        var entries = await _store.ReadRecentAttemptsAsync(
            RegulationSubject.Ip, "2001:db8::1", _database.Time.GetUtcNow().AddMinutes(-1), AuthenticationTypes.Regulated,
            failuresOnly: false, limit: 10);

        Assert.Equal(2, entries.Count);
        Assert.Equal(
            new AuthenticationLogEntry(entries[0].Id, _database.Time.GetUtcNow(), true, false, "alice", "Passkey", "2001:db8::1", "https://b/", "POST"),
            entries[0]);
        Assert.Equal("https://a/", entries[1].RequestUri);
    }

    [Fact]
    public async Task Only_the_requested_auth_types_are_read()
    {
        var ip = IPAddress.Loopback;
        await _store.AppendAsync(_database.Time.GetUtcNow(), new(false, false, "alice", AuthenticationTypes.OneFactor, ip, "", ""));
        await _store.AppendAsync(_database.Time.GetUtcNow(), new(false, false, "alice", AuthenticationTypes.Passkey, ip, "", ""));

        var entries = await _store.ReadRecentAttemptsAsync(
            RegulationSubject.User, "alice", _database.Time.GetUtcNow().AddMinutes(-1),
            new HashSet<string>(StringComparer.Ordinal) { AuthenticationTypes.Passkey }, failuresOnly: false, limit: 10);

        Assert.Equal(AuthenticationTypes.Passkey, Assert.Single(entries).AuthType);
    }

    [Fact]
    public async Task Bans_can_be_listed_and_revoked_by_id()
    {
        var now = _database.Time.GetUtcNow();
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
            RegulationSubject.Ip, "not-an-ip", _database.Time.GetUtcNow(), null, "cli", null));
    }
}
