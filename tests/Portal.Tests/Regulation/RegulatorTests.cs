using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Configuration;
using Portal.Regulation;
using Portal.Storage;
using Portal.Storage.Sqlite;
using Portal.Storage.Stores;
using Portal.Tests.Storage;

namespace Portal.Tests.Regulation;

/// <summary>The regulator over a real SQLite file, so the SQL windows are exercised too. Time is a manual clock.</summary>
public sealed class RegulatorTests : IDisposable
{
    private static readonly IPAddress ClientIp = IPAddress.Parse("192.0.2.10");
    private static readonly IPAddress OtherIp = IPAddress.Parse("198.51.100.20");

    private readonly TestDatabase _database = new();
    private readonly AuthenticationLogStore _store;

    public RegulatorTests() => _store = new AuthenticationLogStore(_database.Database);

    public void Dispose() => _database.Dispose();

    private Regulator Regulator(params string[] modes) => Regulator(new RegulationOptions
    {
        Modes = modes.Length == 0 ? ["user"] : [.. modes],
        MaxRetries = 3,
        FindTime = TimeSpan.FromMinutes(2),
        BanTime = TimeSpan.FromMinutes(5),
    });

    private Regulator Regulator(RegulationOptions options) =>
        new(options, _store, _database.Time, NullLogger<Regulator>.Instance);

    private static AuthenticationAttempt Attempt(
        bool successful, string username = "alice", IPAddress? ip = null, string type = AuthenticationTypes.OneFactor) =>
        new(successful, Banned: false, username, type, ip ?? ClientIp, "https://app.example.com/", "GET");

    private async Task FailAsync(Regulator regulator, int times, string username = "alice", IPAddress? ip = null,
        string type = AuthenticationTypes.OneFactor)
    {
        for (var i = 0; i < times; i++)
        {
            await regulator.RecordAttemptAsync(Attempt(false, username, ip, type));
            _database.Time.Advance(TimeSpan.FromSeconds(10));
        }
    }

    [Fact]
    public async Task A_user_is_banned_after_max_retries_failures_within_find_time()
    {
        var regulator = Regulator();

        await FailAsync(regulator, 3);
        var check = await regulator.BanCheckAsync("alice", ClientIp);

        Assert.True(check.IsBanned);
        Assert.Equal(RegulationSubject.User, check.Subject);
    }

    [Fact]
    public async Task The_failure_that_reaches_max_retries_reports_the_ban_it_caused()
    {
        var regulator = Regulator();
        await FailAsync(regulator, 2);

        var result = await regulator.RecordAttemptAsync(Attempt(false));

        Assert.True(result.IsBanned);
        Assert.Equal(_database.Time.GetUtcNow() + TimeSpan.FromMinutes(5), result.Expires);
    }

    [Fact]
    public async Task Fewer_failures_than_max_retries_do_not_ban()
    {
        var regulator = Regulator();

        await FailAsync(regulator, 2);

        Assert.False((await regulator.BanCheckAsync("alice", ClientIp)).IsBanned);
    }

    [Fact]
    public async Task Failures_older_than_find_time_are_not_counted()
    {
        var regulator = Regulator();
        await FailAsync(regulator, 2);
        _database.Time.Advance(TimeSpan.FromMinutes(2));

        await FailAsync(regulator, 1);

        Assert.False((await regulator.BanCheckAsync("alice", ClientIp)).IsBanned);
    }

    [Fact]
    public async Task A_success_ends_the_walk_so_earlier_failures_no_longer_count()
    {
        var regulator = Regulator();
        await FailAsync(regulator, 2);
        await regulator.RecordAttemptAsync(Attempt(true));

        await FailAsync(regulator, 2);

        Assert.False((await regulator.BanCheckAsync("alice", ClientIp)).IsBanned);
        await FailAsync(regulator, 1);
        Assert.True((await regulator.BanCheckAsync("alice", ClientIp)).IsBanned);
    }

    [Fact]
    public async Task The_ban_lasts_until_the_most_recent_failure_plus_ban_time()
    {
        var regulator = Regulator();
        await FailAsync(regulator, 2);
        await regulator.RecordAttemptAsync(Attempt(false));
        var lastFailure = _database.Time.GetUtcNow();

        _database.Time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromMilliseconds(1));
        var justBefore = await regulator.BanCheckAsync("alice", ClientIp);
        _database.Time.Advance(TimeSpan.FromMilliseconds(1));
        var atExpiry = await regulator.BanCheckAsync("alice", ClientIp);

        Assert.True(justBefore.IsBanned);
        Assert.Equal(lastFailure + TimeSpan.FromMinutes(5), justBefore.Expires);
        Assert.False(atExpiry.IsBanned);
    }

    [Fact]
    public async Task Attempts_refused_while_banned_neither_count_nor_extend_the_ban()
    {
        var regulator = Regulator();
        await FailAsync(regulator, 3);
        var original = (await regulator.BanCheckAsync("alice", ClientIp)).Expires;

        for (var i = 0; i < 5; i++)
        {
            await regulator.RecordAttemptAsync(Attempt(false) with { Banned = true });
            _database.Time.Advance(TimeSpan.FromSeconds(30));
        }

        Assert.Equal(original, (await regulator.BanCheckAsync("alice", ClientIp)).Expires);
    }

    [Theory]
    [InlineData("Alice")]
    [InlineData(" alice")]
    [InlineData("ALICE\t")]
    [InlineData("alice ")]
    public async Task Username_variants_share_one_bucket(string variant)
    {
        var regulator = Regulator();

        await FailAsync(regulator, 1, "alice");
        await FailAsync(regulator, 1, variant);
        await FailAsync(regulator, 1, "aLiCe");

        Assert.True((await regulator.BanCheckAsync("alice", OtherIp)).IsBanned);
        Assert.True((await regulator.BanCheckAsync(variant, OtherIp)).IsBanned);
    }

    [Fact]
    public async Task Attempts_are_logged_under_the_canonical_username()
    {
        var regulator = Regulator();

        await regulator.RecordAttemptAsync(Attempt(false, "  Alice "));

        var logged = await _store.ReadRecentAttemptsAsync(
            RegulationSubject.User, "alice", _database.Time.GetUtcNow().AddHours(-1), AuthenticationTypes.Regulated,
            failuresOnly: false, limit: 10);
        Assert.Equal("alice", Assert.Single(logged).Username);
    }

    [Fact]
    public async Task User_mode_bans_the_user_from_every_address_but_not_the_address()
    {
        var regulator = Regulator("user");

        await FailAsync(regulator, 3, "alice", ClientIp);

        Assert.True((await regulator.BanCheckAsync("alice", OtherIp)).IsBanned);
        Assert.False((await regulator.BanCheckAsync("bob", ClientIp)).IsBanned);
    }

    [Fact]
    public async Task Ip_mode_bans_an_address_that_fails_across_many_usernames()
    {
        var regulator = Regulator("ip");

        await FailAsync(regulator, 1, "alice");
        await FailAsync(regulator, 1, "bob");
        await FailAsync(regulator, 1, "carol");
        var check = await regulator.BanCheckAsync("dave", ClientIp);

        Assert.True(check.IsBanned);
        Assert.Equal(RegulationSubject.Ip, check.Subject);
        Assert.False((await regulator.BanCheckAsync("dave", OtherIp)).IsBanned);
        Assert.False((await regulator.BanCheckAsync("alice", OtherIp)).IsBanned);
    }

    [Fact]
    public async Task Ip_mode_is_not_reset_by_a_success_with_another_account_from_the_same_address()
    {
        var regulator = Regulator("ip");

        await FailAsync(regulator, 2, "alice");
        await regulator.RecordAttemptAsync(Attempt(true, "mallory"));
        await FailAsync(regulator, 1, "bob");

        Assert.True((await regulator.BanCheckAsync("mallory", ClientIp)).IsBanned);
    }

    [Fact]
    public async Task An_IPv4_mapped_IPv6_address_shares_the_bucket_of_its_IPv4_form()
    {
        var regulator = Regulator("ip");

        await FailAsync(regulator, 2, ip: ClientIp);
        await FailAsync(regulator, 1, ip: ClientIp.MapToIPv6());

        Assert.True((await regulator.BanCheckAsync(null, ClientIp)).IsBanned);
        Assert.True((await regulator.BanCheckAsync(null, ClientIp.MapToIPv6())).IsBanned);
    }

    [Fact]
    public async Task Both_modes_ban_the_user_and_the_address()
    {
        var regulator = Regulator("user", "ip");

        await FailAsync(regulator, 3);

        Assert.Equal(RegulationSubject.Ip, (await regulator.BanCheckAsync("alice", ClientIp)).Subject);
        Assert.Equal(RegulationSubject.User, (await regulator.BanCheckAsync("alice", OtherIp)).Subject);
    }

    [Fact]
    public async Task Max_retries_zero_never_bans_but_still_logs_attempts()
    {
        var regulator = Regulator(new RegulationOptions { Modes = ["user", "ip"], MaxRetries = 0 });

        await FailAsync(regulator, 20);

        Assert.False(regulator.Enabled);
        Assert.False((await regulator.BanCheckAsync("alice", ClientIp)).IsBanned);
        var logged = await _store.ReadRecentAttemptsAsync(
            RegulationSubject.User, "alice", _database.Time.GetUtcNow().AddHours(-1), AuthenticationTypes.Regulated,
            failuresOnly: true, limit: 100);
        Assert.Equal(20, logged.Count);
    }

    [Theory]
    [InlineData(AuthenticationTypes.OneFactor)]
    [InlineData(AuthenticationTypes.Passkey)]
    [InlineData(AuthenticationTypes.WebAuthn)]
    [InlineData(AuthenticationTypes.Password)]
    public async Task Failures_of_every_interactive_auth_type_count(string type)
    {
        var regulator = Regulator();

        await FailAsync(regulator, 3, type: type);

        Assert.True((await regulator.BanCheckAsync("alice", ClientIp)).IsBanned);
    }

    [Fact]
    public async Task Failures_of_different_auth_types_add_up_to_one_budget()
    {
        var regulator = Regulator();

        await FailAsync(regulator, 1, type: AuthenticationTypes.OneFactor);
        await FailAsync(regulator, 1, type: AuthenticationTypes.Passkey);
        await FailAsync(regulator, 1, type: AuthenticationTypes.Password);

        Assert.True((await regulator.BanCheckAsync("alice", ClientIp)).IsBanned);
    }

    [Fact]
    public async Task An_unknown_auth_type_is_rejected_rather_than_silently_uncounted()
    {
        var regulator = Regulator();

        await Assert.ThrowsAsync<ArgumentException>(() => regulator.RecordAttemptAsync(Attempt(false, type: "1fa")));
    }

    [Fact]
    public async Task A_ban_check_without_a_username_checks_only_the_address()
    {
        var regulator = Regulator();
        await FailAsync(regulator, 3);

        Assert.False((await regulator.BanCheckAsync(null, ClientIp)).IsBanned);
        Assert.False((await regulator.BanCheckAsync("  ", ClientIp)).IsBanned);
    }

    [Fact]
    public async Task A_revoked_ban_no_longer_blocks()
    {
        var regulator = Regulator();
        await FailAsync(regulator, 3);

        var revoked = await _store.RevokeBansAsync(RegulationSubject.User, "ALICE", _database.Time.GetUtcNow());

        Assert.Equal(1, revoked);
        Assert.False((await regulator.BanCheckAsync("alice", ClientIp)).IsBanned);
    }

    [Fact]
    public async Task An_admin_ban_is_honoured_even_when_regulation_is_disabled()
    {
        var regulator = Regulator(new RegulationOptions { Modes = ["user"], MaxRetries = 0 });
        await _store.AddBanAsync(RegulationSubject.Ip, "::ffff:192.0.2.10", _database.Time.GetUtcNow(), expires: null, "cli", "abuse");

        var check = await regulator.BanCheckAsync("alice", ClientIp);

        Assert.Equal(RegulationSubject.Ip, check.Subject);
        Assert.Null(check.Expires);
    }
}
