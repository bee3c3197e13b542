using Portal.RecoveryCodes;
using Portal.Tests.Storage;

namespace Portal.Tests.RecoveryCodes;

/// <summary>
/// <see cref="IRecoveryCodeStore"/>, one implementation over every engine (<see cref="SqliteRecoveryCodeStoreTests"/>,
/// <see cref="PostgresRecoveryCodeStoreTests"/> on a real PostgreSQL), including single use across two nodes.
/// </summary>
public abstract class RecoveryCodeStoreContract : IDisposable
{
    private static readonly string[] Set = ["ABCDE-FGHJK", "23456-789AB", "MNPQR-STVWX"];

    private readonly IRecoveryCodeStore _store;

    private protected RecoveryCodeStoreContract(StoreEngine engine)
    {
        Engine = engine;
        _store = engine.RecoveryCodes();
    }

    private protected StoreEngine Engine { get; }

    public void Dispose()
    {
        Engine.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task A_code_works_once_and_the_count_goes_down()
    {
        await _store.ReplaceAsync("john", Set, Engine.Time.GetUtcNow(), default);
        Assert.Equal(3, await _store.CountUnusedAsync("john", default));

        Assert.True(await _store.TryUseAsync("john", "ABCDEFGHJK", Engine.Time.GetUtcNow(), default));
        Assert.False(await _store.TryUseAsync("john", "ABCDEFGHJK", Engine.Time.GetUtcNow(), default));
        Assert.Equal(2, await _store.CountUnusedAsync("john", default));
    }

    [Fact]
    public async Task A_code_is_another_users_nothing_and_usernames_are_keyed_case_insensitively()
    {
        await _store.ReplaceAsync("John", Set, Engine.Time.GetUtcNow(), default);

        Assert.False(await _store.TryUseAsync("harry", "ABCDEFGHJK", Engine.Time.GetUtcNow(), default));
        Assert.True(await _store.TryUseAsync("john", "abcde-fghjk", Engine.Time.GetUtcNow(), default));
        Assert.Equal(0, await _store.CountUnusedAsync("harry", default));
    }

    [Fact]
    public async Task A_new_set_replaces_every_earlier_code()
    {
        await _store.ReplaceAsync("john", Set, Engine.Time.GetUtcNow(), default);
        await _store.ReplaceAsync("john", ["QQQQQ-QQQQQ"], Engine.Time.GetUtcNow(), default);

        Assert.False(await _store.TryUseAsync("john", "23456789AB", Engine.Time.GetUtcNow(), default));
        Assert.Equal(1, await _store.CountUnusedAsync("john", default));
    }

    [Fact]
    public async Task Codes_are_stored_as_keyed_hashes_never_in_clear()
    {
        await _store.ReplaceAsync("john", ["ABCDE-FGHJK"], Engine.Time.GetUtcNow(), default);

        var stored = (byte[])Engine.RawValue("recovery_codes", "code_hash")!;
        Assert.Equal(32, stored.Length);
        Assert.Equal(-1, stored.AsSpan().IndexOf("ABCDE"u8));
        Assert.Equal(new RecoveryCodeHasher(Engine.Encryption).Hash("john", "ABCDEFGHJK"), stored);
    }

    [Fact]
    public async Task Of_two_nodes_racing_with_one_code_exactly_one_uses_it()
    {
        await _store.ReplaceAsync("john", Set, Engine.Time.GetUtcNow(), default);
        using var second = Engine.SecondNode();
        var other = second.RecoveryCodes();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            (i % 2 == 0 ? _store : other).TryUseAsync("john", "MNPQRSTVWX", Engine.Time.GetUtcNow(), default)));

        Assert.Single(results, r => r);
    }

    [Fact]
    public async Task Racing_replaces_leave_exactly_one_set()
    {
        using var second = Engine.SecondNode();
        var other = second.RecoveryCodes();

        await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            (i % 2 == 0 ? _store : other).ReplaceAsync("john", Set, Engine.Time.GetUtcNow(), default)));

        Assert.Equal(3, await _store.CountUnusedAsync("john", default));
    }
}
