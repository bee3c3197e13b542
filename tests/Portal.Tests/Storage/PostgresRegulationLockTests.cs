using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Configuration;
using Portal.Regulation;
using Portal.Storage;
using Portal.Storage.Postgres;
using Portal.Storage.Stores;
using Portal.Tests.Support;

namespace Portal.Tests.Storage;

/// <summary>
/// Regulation on two nodes sharing one real PostgreSQL: each node its own database pool, log store, regulation lock
/// and regulator, as two portal processes would have. Guesses raced through both nodes at once are checked no more
/// than <c>max_retries</c> times, and the lock neither deadlocks nor starves the stores of connections.
/// </summary>
[Trait("Category", "Integration")]
[Collection("postgres")]
public sealed class PostgresRegulationLockTests(PostgresServerFixture server) : IDisposable
{
    private const int MaxRetries = 3;
    private static readonly FailureDelay NoDelay = FailureDelay.AtLeast(TimeSpan.Zero);

    private readonly List<IDisposable> _owned = [];
    private readonly ManualTimeProvider _time = new() { FireTimersAtOnce = true };

    public void Dispose()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }
    }

    private sealed record Node(RegulatedCredential Regulated, Regulator Regulator, IAuthenticationLogStore Log);

    private (Node A, Node B) TwoNodes()
    {
        var options = server.NewSchema();
        return (NodeOn(options), NodeOn(options));
    }

    private Node NodeOn(PostgresStorageOptions options)
    {
        var database = PostgresDatabase.Open(options, TestKeys.Key, _time);
        var clusterLock = new PostgresRegulationLock(options);
        _owned.Add(database);
        _owned.Add(clusterLock);
        var log = new AuthenticationLogStore(database);
        var regulator = new Regulator(
            new RegulationOptions { Modes = ["user", "ip"], MaxRetries = MaxRetries, FindTime = TimeSpan.FromMinutes(2), BanTime = TimeSpan.FromMinutes(5) },
            log, _time, NullLogger<Regulator>.Instance, clusterLock);
        return new Node(new RegulatedCredential(regulator, _time), regulator, log);
    }

    private static CredentialAttempt Attempt(string username, string ip) =>
        new(username, IPAddress.Parse(ip), AuthenticationTypes.OneFactor, "https://app.example.com/", "POST", NoDelay);

    /// <summary>A password check that takes as long as a hash, so that racing checks overlap.</summary>
    private static Func<CancellationToken, ValueTask<CredentialVerdict>> Verify(bool right, Action? checkedOne = null) => async ct =>
    {
        checkedOne?.Invoke();
        await Task.Delay(TimeSpan.FromMilliseconds(20), ct);
        return CredentialVerdict.Of(right);
    };

    private static async Task<int> UnbannedAttemptsAsync(IAuthenticationLogStore log, string username) =>
        (await log.ReadRecentAttemptsAsync(RegulationSubject.User, username, DateTimeOffset.MinValue, AuthenticationTypes.All,
            failuresOnly: false, limit: 1000)).Count(a => !a.Banned);

    [Fact]
    public async Task Wrong_passwords_raced_through_two_nodes_get_no_more_than_max_retries_checked_and_the_right_one_is_then_refused_alike()
    {
        var (a, b) = TwoNodes();

        // Every guess from its own address, so only the user's line keeps them apart; 48 at once, half on each node.
        var guesses = Enumerable.Range(0, 48).Select(i => Task.Run(() =>
            (i % 2 == 0 ? a : b).Regulated.CheckAsync(Attempt("john", $"198.51.100.{i + 1}"), Verify(right: false), CancellationToken.None)));
        var checks = await Task.WhenAll(guesses);

        Assert.All(checks, c => Assert.False(c.Succeeded));
        Assert.Equal(MaxRetries, checks.Count(c => !c.Banned));
        Assert.Equal(MaxRetries, await UnbannedAttemptsAsync(a.Log, "john"));

        var right = await b.Regulated.CheckAsync(Attempt("john", "198.51.100.200"), Verify(right: true), CancellationToken.None);
        var wrong = await a.Regulated.CheckAsync(Attempt("john", "198.51.100.201"), Verify(right: false), CancellationToken.None);
        Assert.Equal(wrong, right);
        Assert.Equal(new CredentialCheck(false, true, true, "john"), right);
        Assert.Equal((0, 0), (a.Regulator.HeldKeys, b.Regulator.HeldKeys));
    }

    [Fact]
    public async Task Wrong_passwords_raced_from_one_address_through_two_nodes_get_no_more_than_max_retries_checked_for_it()
    {
        var (a, b) = TwoNodes();

        // Every guess at another user, from one address: only the IP's line keeps them apart.
        var guesses = Enumerable.Range(0, 48).Select(i => Task.Run(() =>
            (i % 2 == 0 ? a : b).Regulated.CheckAsync(Attempt($"user{i}", "203.0.113.9"), Verify(right: false), CancellationToken.None)));
        var checks = await Task.WhenAll(guesses);

        Assert.Equal(MaxRetries, checks.Count(c => !c.Banned));
        var attempts = await a.Log.ReadRecentAttemptsAsync(RegulationSubject.Ip, "203.0.113.9", DateTimeOffset.MinValue, AuthenticationTypes.All,
            failuresOnly: false, limit: 1000);
        Assert.Equal(MaxRetries, attempts.Count(x => !x.Banned));
    }

    [Fact]
    public async Task Sixty_four_sign_ins_of_different_users_at_once_on_two_nodes_all_finish_without_exhausting_either_pool()
    {
        var (a, b) = TwoNodes();
        // More holders than a node's lock connections and its database pool together, each holding its line while
        // the stores record through the other pool: sharing one pool, or waiting in Npgsql's, would time out here.
        var count = 2 * (PostgresRegulationLock.MaxHolders + PostgresDatabase.MaxPoolSize);
        var started = TimeProvider.System.GetTimestamp();

        var signIns = Enumerable.Range(0, count).Select(i => Task.Run(() =>
            (i % 2 == 0 ? a : b).Regulated.CheckAsync(
                Attempt(string.Create(CultureInfo.InvariantCulture, $"user{i}"), string.Create(CultureInfo.InvariantCulture, $"10.1.{i / 200}.{i % 200 + 1}")),
                Verify(right: i % 3 == 0), CancellationToken.None)));
        var checks = await Task.WhenAll(signIns).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(Enumerable.Range(0, count).Select(i => i % 3 == 0), checks.Select(c => c.Succeeded));
        Assert.All(checks, c => Assert.False(c.Banned));
        for (var i = 0; i < count; i += 17)
        {
            Assert.Equal(1, await UnbannedAttemptsAsync(b.Log, string.Create(CultureInfo.InvariantCulture, $"user{i}")));
        }
        Assert.Equal((0, 0), (a.Regulator.HeldKeys, b.Regulator.HeldKeys));
        // Far below any pool or statement timeout: nobody waited for a connection that never came.
        Assert.InRange(TimeProvider.System.GetElapsedTime(started), TimeSpan.Zero, TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_key_held_on_one_node_makes_the_other_wait_until_it_is_released()
    {
        var options = server.NewSchema();
        using var first = new PostgresRegulationLock(options);
        using var second = new PostgresRegulationLock(options);
        RegulationLockKey[] keys = [new(RegulationSubject.Ip, "192.0.2.1"), new(RegulationSubject.User, "john")];

        var held = await first.HoldAsync(keys, CancellationToken.None);
        var waiting = second.HoldAsync([new(RegulationSubject.User, "john")], CancellationToken.None);
        var other = await second.HoldAsync([new(RegulationSubject.User, "harry")], CancellationToken.None);
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        Assert.False(waiting.IsCompleted);
        await other.DisposeAsync();

        await held.DisposeAsync();
        await (await waiting.WaitAsync(TimeSpan.FromSeconds(10))).DisposeAsync();
    }

    [Fact]
    public async Task A_schema_of_its_own_is_a_line_of_its_own()
    {
        using var first = new PostgresRegulationLock(server.NewSchema());
        using var second = new PostgresRegulationLock(server.NewSchema());
        RegulationLockKey[] john = [new(RegulationSubject.User, "john")];

        await using var held = await first.HoldAsync(john, CancellationToken.None);
        await (await second.HoldAsync(john, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10))).DisposeAsync();
    }

    [Fact]
    public async Task After_the_server_restarts_the_very_next_hold_succeeds_although_the_pool_held_connections_from_before()
    {
        using var clusterLock = new PostgresRegulationLock(server.NewSchema(timeout: TimeSpan.FromSeconds(2)));
        // Four idle connections in the pool, all of which the restart breaks.
        var leases = await Task.WhenAll(Enumerable.Range(0, 4).Select(i =>
            clusterLock.HoldAsync([new(RegulationSubject.User, string.Create(CultureInfo.InvariantCulture, $"user{i}"))], CancellationToken.None)));
        foreach (var lease in leases)
        {
            await lease.DisposeAsync();
        }

        server.Stop();
        server.Start();

        await (await clusterLock.HoldAsync([new(RegulationSubject.User, "john")], CancellationToken.None)).DisposeAsync();
    }

    [Fact]
    public async Task An_unreachable_server_is_a_storage_error_and_leaves_no_holder_behind()
    {
        var options = server.NewSchema(address: string.Create(CultureInfo.InvariantCulture, $"tcp://127.0.0.1:{LoopbackPort.Free()}"),
            timeout: TimeSpan.FromSeconds(1));
        using var unreachable = new PostgresRegulationLock(options);

        for (var i = 0; i < PostgresRegulationLock.MaxHolders + 1; i++)
        {
            await Assert.ThrowsAsync<StorageUnavailableException>(() =>
                unreachable.HoldAsync([new(RegulationSubject.User, "john")], CancellationToken.None));
        }
    }
}
