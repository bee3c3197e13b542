using Portal.Elevation;
using Portal.Storage;
using Portal.Tests.Storage;

namespace Portal.Tests.Elevation;

public sealed class OneTimeCodeStoreTests : IDisposable
{
    private readonly TestDatabase _database = new();
    private readonly OneTimeCodeStore _store;

    public OneTimeCodeStoreTests() => _store = new OneTimeCodeStore(_database.Database, _database.Time);

    public void Dispose() => _database.Dispose();

    private Task<IssuedCode> Issue(string user = "john", string ip = "192.0.2.1", int characters = 8) =>
        _store.IssueAsync(user, ip, OneTimeCodeStore.ElevationIntent, characters, TimeSpan.FromMinutes(5), CancellationToken.None);

    private async Task<CodeOutcome> Consume(string code, string user = "john", string ip = "192.0.2.1", string intent = OneTimeCodeStore.ElevationIntent) =>
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
    [Trait("Category", "Integration")] // 64-way concurrency stress, seconds on two cores
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
        _database.Time.Advance(TimeSpan.FromMinutes(5));

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
    public async Task Signatures_depend_on_the_storage_key_so_a_copied_database_cannot_check_guesses_elsewhere()
    {
        var other = new OneTimeCodeStore(SqliteDatabase.Open(_database.Directory.File("other.sqlite3"), TestKeys.OtherKey, _database.Time), _database.Time);

        Assert.NotEqual(_store.Sign("john", "192.0.2.1", "use", "ABCDEFGH"), other.Sign("john", "192.0.2.1", "use", "ABCDEFGH"));
        // Field boundaries are part of the signature.
        Assert.NotEqual(_store.Sign("john1", "1.2.3.4", "use", "ABCDEFGH"), _store.Sign("john", "11.2.3.4", "use", "ABCDEFGH"));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Codes_long_expired_are_pruned_when_new_ones_are_issued()
    {
        var old = await Issue();
        _database.Time.Advance(OneTimeCodeStore.Retention + TimeSpan.FromMinutes(6));
        await Issue();

        Assert.Equal(RevokeOutcome.NotFound, await _store.RevokeAsync(old.PublicId, "192.0.2.1", CancellationToken.None));
    }

    [Fact]
    public void Public_ids_round_trip_through_their_strict_base64url_form()
    {
        var id = Guid.NewGuid();
        var text = OneTimeCodeStore.EncodePublicId(id);

        Assert.Equal(22, text.Length);
        Assert.True(OneTimeCodeStore.TryDecodePublicId(text, out var back));
        Assert.Equal(id, back);
        Assert.False(OneTimeCodeStore.TryDecodePublicId(text + "A", out _));
        Assert.False(OneTimeCodeStore.TryDecodePublicId(id.ToString(), out _));
        Assert.False(OneTimeCodeStore.TryDecodePublicId("!!!!!!!!!!!!!!!!!!!!!!", out _));
        Assert.False(OneTimeCodeStore.TryDecodePublicId(null, out _));
    }
}
