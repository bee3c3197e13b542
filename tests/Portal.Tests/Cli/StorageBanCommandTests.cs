using Portal.Regulation;
using Portal.Storage.Sqlite;
using Portal.Storage.Stores;
using Portal.Tests.Storage;
using Portal.Tests.Support;
using static Portal.Tests.Cli.StorageCommandRun;

namespace Portal.Tests.Cli;

/// <summary><c>portal storage bans user|ip list|add|revoke</c> on SQLite.</summary>
public sealed class StorageBanCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _config;

    public StorageBanCommandTests()
    {
        _config = WriteSqliteConfig(_dir, TestKeys.Key, "db.sqlite3");
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    private async Task<Ban?> ActiveBanAsync(RegulationSubject subject, string value)
    {
        using var db = SqliteDatabase.Open(_dir.File("db.sqlite3"), TestKeys.Key);
        return await new AuthenticationLogStore(db).FindActiveBanAsync(subject, value, DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task A_user_banned_by_hand_is_banned_for_the_duration_with_the_reason_until_revoked()
    {
        var add = await RunAsync("bans", "user", "add", "John", "--duration", "2h", "--reason", "stolen laptop", "--config", _config);
        var banned = await ActiveBanAsync(RegulationSubject.User, "john");
        var list = await RunAsync("bans", "user", "list", "--config", _config);
        var revoke = await RunAsync("bans", "user", "revoke", "john", "--config", _config);
        var after = await ActiveBanAsync(RegulationSubject.User, "john");
        var again = await RunAsync("bans", "user", "revoke", "john", "--config", _config);
        var all = await RunAsync("bans", "user", "list", "--all", "--config", _config);

        Assert.True(add.Code == 0, add.Err);
        Assert.NotNull(banned);
        Assert.Equal(("stolen laptop", "cli"), (banned.Reason, banned.Source));
        Assert.InRange(banned.Expires!.Value - banned.Time, TimeSpan.FromHours(2), TimeSpan.FromHours(2));
        Assert.Contains("john", list.Out, StringComparison.Ordinal);
        Assert.Contains("1 active user bans.", list.Out, StringComparison.Ordinal);
        Assert.Contains("Revoked 1 ban of user john.", revoke.Out, StringComparison.Ordinal);
        Assert.Null(after);
        Assert.Equal(1, again.Code);
        Assert.Contains("no active ban of user john", again.Err, StringComparison.Ordinal);
        Assert.Contains("revoked", all.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_ip_ban_is_permanent_on_request_keyed_as_regulation_keys_it_and_revoked_by_id()
    {
        var add = await RunAsync("bans", "ip", "add", "::ffff:192.0.2.7", "--permanent", "--config", _config);
        var banned = await ActiveBanAsync(RegulationSubject.Ip, "192.0.2.7");
        var revoke = await RunAsync("bans", "ip", "revoke", "--id", banned!.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--config", _config);

        Assert.True(add.Code == 0, add.Err);
        Assert.Contains("Banned ip 192.0.2.7 permanently", add.Out, StringComparison.Ordinal);
        Assert.Null(banned.Expires);
        Assert.True(revoke.Code == 0, revoke.Err);
        Assert.Null(await ActiveBanAsync(RegulationSubject.Ip, "192.0.2.7"));
    }

    [Fact]
    public async Task A_malformed_ip_duration_or_id_is_refused_and_bans_nothing()
    {
        var ip = await RunAsync("bans", "ip", "add", "192.0.2.300", "--config", _config);
        var duration = await RunAsync("bans", "user", "add", "john", "--duration", "soon", "--config", _config);
        var id = await RunAsync("bans", "user", "revoke", "--id", "first", "--config", _config);
        var nobody = await RunAsync("bans", "user", "add", "--config", _config);

        Assert.Equal((1, 1, 1, 1), (ip.Code, duration.Code, id.Code, nobody.Code));
        Assert.Contains("'192.0.2.300' is not an IP address", ip.Err, StringComparison.Ordinal);
        Assert.Contains("--duration must be a positive duration", duration.Err, StringComparison.Ordinal);
        Assert.Contains("--id must be a ban number", id.Err, StringComparison.Ordinal);
        Assert.Contains("name the user", nobody.Err, StringComparison.Ordinal);
        Assert.Null(await ActiveBanAsync(RegulationSubject.User, "john"));
    }
}
