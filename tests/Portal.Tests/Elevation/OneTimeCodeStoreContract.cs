using Portal.Elevation;
using Portal.Tests.Storage;
using Portal.Tests.Support;

namespace Portal.Tests.Elevation;

/// <summary>
/// <see cref="IOneTimeCodeStore"/>, the same on every engine (<see cref="OneTimeCodeStoreTests"/> on SQLite,
/// <see cref="PostgresOneTimeCodeStoreTests"/> on a real PostgreSQL): codes are bound, expire, are revoked, and are
/// accepted once, also when submitted concurrently through two nodes sharing the database.
/// </summary>
public abstract class OneTimeCodeStoreContract : IDisposable
{
    private readonly IOneTimeCodeStore _store;

    private protected OneTimeCodeStoreContract(StoreEngine engine)
    {
        Engine = engine;
        _store = engine.OneTimeCodes();
    }

    private protected StoreEngine Engine { get; }

    private ManualTimeProvider Time => Engine.Time;

    public void Dispose()
    {
        Engine.Dispose();
        GC.SuppressFinalize(this);
    }

    private Task<IssuedCode> Issue(string user = "john", string ip = "192.0.2.1", int characters = 8) =>
        _store.IssueAsync(user, ip, OneTimeCodes.ElevationIntent, characters, TimeSpan.FromMinutes(5), CancellationToken.None);

    private async Task<CodeOutcome> Consume(string code, string user = "john", string ip = "192.0.2.1", string intent = OneTimeCodes.ElevationIntent) =>
        (await _store.ConsumeAsync(user, ip, intent, code, CancellationToken.None)).Outcome;

    [Fact]
    public async Task Codes_have_the_configured_length_from_the_unambiguous_alphabet()
    {
        for (var i = 0; i < 20; i++)
        {
            var issued = await Issue(characters: 12);
            Assert.Matches("^[ABCDEFGHJKLMNPQRTUVWYXZ2346789]{12}$", issued.Code);
        }
    }

    [Fact]
    public async Task A_code_is_bound_to_user_ip_and_intent_and_consumed_once()
    {
        var issued = await Issue();

        Assert.Equal(CodeOutcome.NotFound, await Consume(issued.Code, ip: "192.0.2.2"));
        Assert.Equal(CodeOutcome.NotFound, await Consume(issued.Code, user: "harry"));
        Assert.Equal(CodeOutcome.NotFound, await Consume(issued.Code, intent: "reset"));
        Assert.Equal(CodeOutcome.NotFound, await Consume("AAAAAAAA"));
        Assert.Equal(CodeOutcome.Verified, await Consume(issued.Code, user: " John "));
        Assert.Equal(CodeOutcome.Consumed, await Consume(issued.Code));
    }

    [Fact]
    public async Task Concurrent_consumption_verifies_exactly_once()
    {
        var issued = await Issue();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Consume(issued.Code))));

        Assert.Single(outcomes, o => o == CodeOutcome.Verified);
        Assert.All(outcomes.Where(o => o != CodeOutcome.Verified), o => Assert.Equal(CodeOutcome.Consumed, o));
    }

    [Fact]
    public async Task Codes_issued_by_64_concurrent_requests_are_each_accepted_exactly_once_among_64_concurrent_submissions()
    {
        // One real SQLite file, one store, as the portal has: 64 requests ask for codes at once (concurrent writers),
        // then codes are typed in by 64 requests at once, 16 per code, in several rounds.
        var issued = await AllAtOnce(64, i => Issue($"user{i % 16}", ip: $"192.0.2.{i}"));
        Assert.Equal(64, issued.Select(c => c.PublicId).Distinct().Count());
        for (var round = 0; round < 10; round++)
        {
            var users = Enumerable.Range(0, 4).Select(i => $"round{round}-user{i}").ToArray();
            var codes = await Task.WhenAll(users.Select(u => Issue(u)));

            var outcomes = await AllAtOnce(64, async i => (User: i % 4, Outcome: await Consume(codes[i % 4].Code, users[i % 4])));

            Assert.All(outcomes.GroupBy(o => o.User), perCode =>
            {
                Assert.Single(perCode, o => o.Outcome == CodeOutcome.Verified);
                Assert.All(perCode.Where(o => o.Outcome != CodeOutcome.Verified), o => Assert.Equal(CodeOutcome.Consumed, o.Outcome));
            });
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> on <paramref name="count"/> threads of their own, released together, so the calls
    /// really overlap (thread-pool tasks on a small machine mostly run one after another).
    /// </summary>
    private static async Task<T[]> AllAtOnce<T>(int count, Func<int, Task<T>> work)
    {
        using var start = new Barrier(count);
        var threads = Enumerable.Range(0, count).Select(i => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            return work(i);
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap()).ToList();
        return await Task.WhenAll(threads);
    }

    [Fact]
    public async Task A_code_expires_at_its_lifespan()
    {
        var issued = await Issue();
        Time.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(CodeOutcome.Expired, await Consume(issued.Code));
    }

    [Fact]
    public async Task A_revoked_code_cannot_be_used_and_a_used_code_cannot_be_revoked()
    {
        var revoked = await Issue();
        var used = await Issue();

        Assert.Equal(RevokeOutcome.Revoked, await _store.RevokeAsync(revoked.PublicId, "198.51.100.1", CancellationToken.None));
        Assert.Equal(CodeOutcome.Revoked, await Consume(revoked.Code));
        Assert.Equal(CodeOutcome.Verified, await Consume(used.Code));
        Assert.Equal(RevokeOutcome.AlreadyUsed, await _store.RevokeAsync(used.PublicId, "198.51.100.1", CancellationToken.None));
        Assert.Equal(RevokeOutcome.NotFound, await _store.RevokeAsync(Guid.NewGuid(), "198.51.100.1", CancellationToken.None));
    }

    [Fact]
    public async Task Codes_long_expired_are_pruned_when_new_ones_are_issued()
    {
        var old = await Issue();
        Time.Advance(OneTimeCodes.Retention + TimeSpan.FromMinutes(6));
        await Issue();

        Assert.Equal(RevokeOutcome.NotFound, await _store.RevokeAsync(old.PublicId, "192.0.2.1", CancellationToken.None));
    }

    [Fact]
    public async Task A_code_submitted_through_two_nodes_at_once_is_accepted_exactly_once()
    {
        using var second = Engine.SecondNode();
        var nodes = new[] { _store, second.OneTimeCodes() };
        for (var round = 0; round < 10; round++)
        {
            var user = $"race{round}";
            var issued = await Issue(user);

            var outcomes = await AllAtOnce(32, async i =>
                (await nodes[i % 2].ConsumeAsync(user, "192.0.2.1", OneTimeCodes.ElevationIntent, issued.Code, CancellationToken.None)).Outcome);

            Assert.Single(outcomes, o => o == CodeOutcome.Verified);
            Assert.All(outcomes.Where(o => o != CodeOutcome.Verified), o => Assert.Equal(CodeOutcome.Consumed, o));
        }
    }
}
