using Portal.Tests.Storage;
using Portal.Totp;

namespace Portal.Tests.Totp;

/// <summary>
/// <see cref="ITotpConfigurationStore"/>, the same on every engine (<see cref="SqliteTotpConfigurationStoreTests"/>,
/// <see cref="PostgresTotpConfigurationStoreTests"/> on a real PostgreSQL): one configuration per user, the secret
/// encrypted at rest, and each time step accepted once, also through two nodes at the same moment.
/// </summary>
public abstract class TotpConfigurationStoreContract : IDisposable
{
    private static readonly byte[] Secret = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];
    private readonly ITotpConfigurationStore _store;

    private protected TotpConfigurationStoreContract(StoreEngine engine)
    {
        Engine = engine;
        _store = engine.TotpConfigurations();
    }

    private protected StoreEngine Engine { get; }

    public void Dispose()
    {
        Engine.Dispose();
        GC.SuppressFinalize(this);
    }

    private static TotpConfiguration Config(string user = "John", byte[]? secret = null) =>
        new(0, user, "Portal", "SHA256", 8, 60, secret ?? Secret, new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));

    [Fact]
    public async Task A_saved_configuration_reads_back_whole_under_the_canonical_username()
    {
        await _store.SaveAsync(Config(), CancellationToken.None);

        var found = await _store.FindAsync(" JOHN ", CancellationToken.None);

        Assert.NotNull(found);
        Assert.True(found.Id > 0);
        Assert.Equal(("john", "Portal", "SHA256", 8, 60), (found.Username, found.Issuer, found.Algorithm, found.Digits, found.Period));
        Assert.Equal(Secret, found.Secret);
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), found.CreatedAt);
        Assert.Null(found.LastUsedAt);
        Assert.Null(found.LastUsedStep);
        Assert.True(await _store.HasAsync("john", CancellationToken.None));
        Assert.False(await _store.HasAsync("mary", CancellationToken.None));
    }

    [Fact]
    public async Task The_secret_is_stored_encrypted_not_as_its_bytes()
    {
        await _store.SaveAsync(Config(), CancellationToken.None);

        var raw = (byte[])Engine.RawValue("totp_configurations", "secret")!;

        Assert.NotEqual(Secret, raw);
        Assert.Equal(Secret, Engine.Encryption.Decrypt(raw));
    }

    [Fact]
    public async Task Saving_again_replaces_the_users_configuration_with_a_new_id_and_no_used_step()
    {
        await _store.SaveAsync(Config(), CancellationToken.None);
        var first = (await _store.FindAsync("john", CancellationToken.None))!;
        Assert.True(await _store.TryUseStepAsync(first.Id, 100, DateTimeOffset.UnixEpoch, allowReuse: false, CancellationToken.None));

        await _store.SaveAsync(Config(secret: [9, 9, 9, 9, 9, 9, 9, 9, 9, 9]), CancellationToken.None);
        var second = (await _store.FindAsync("john", CancellationToken.None))!;

        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal([9, 9, 9, 9, 9, 9, 9, 9, 9, 9], second.Secret);
        Assert.Null(second.LastUsedStep);
        // A code checked against the replaced secret cannot mark a step of the new one.
        Assert.False(await _store.TryUseStepAsync(first.Id, 200, DateTimeOffset.UnixEpoch, allowReuse: false, CancellationToken.None));
        Assert.Single(await _store.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_step_is_accepted_once_and_no_earlier_step_after_it()
    {
        await _store.SaveAsync(Config(), CancellationToken.None);
        var id = (await _store.FindAsync("john", CancellationToken.None))!.Id;
        var now = new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);

        Assert.True(await _store.TryUseStepAsync(id, 1000, now, allowReuse: false, CancellationToken.None));
        Assert.False(await _store.TryUseStepAsync(id, 1000, now, allowReuse: false, CancellationToken.None));
        Assert.False(await _store.TryUseStepAsync(id, 999, now, allowReuse: false, CancellationToken.None));
        Assert.True(await _store.TryUseStepAsync(id, 1001, now, allowReuse: false, CancellationToken.None));

        var found = (await _store.FindAsync("john", CancellationToken.None))!;
        Assert.Equal(1001, found.LastUsedStep);
        Assert.Equal(now, found.LastUsedAt);
    }

    [Fact]
    public async Task With_reuse_allowed_a_used_step_is_accepted_again()
    {
        await _store.SaveAsync(Config(), CancellationToken.None);
        var id = (await _store.FindAsync("john", CancellationToken.None))!.Id;

        Assert.True(await _store.TryUseStepAsync(id, 1000, DateTimeOffset.UnixEpoch, allowReuse: false, CancellationToken.None));
        Assert.True(await _store.TryUseStepAsync(id, 1000, DateTimeOffset.UnixEpoch, allowReuse: true, CancellationToken.None));
    }

    [Fact]
    public async Task Of_one_step_used_through_two_nodes_at_once_exactly_one_is_accepted()
    {
        await _store.SaveAsync(Config(), CancellationToken.None);
        var id = (await _store.FindAsync("john", CancellationToken.None))!.Id;
        using var second = Engine.SecondNode();
        var other = second.TotpConfigurations();

        for (var step = 10L; step < 30; step++)
        {
            var s = step;
            var results = await Task.WhenAll(
                Task.Run(() => _store.TryUseStepAsync(id, s, DateTimeOffset.UnixEpoch, allowReuse: false, CancellationToken.None)),
                Task.Run(() => other.TryUseStepAsync(id, s, DateTimeOffset.UnixEpoch, allowReuse: false, CancellationToken.None)));
            Assert.Single(results, r => r);
        }
    }

    [Fact]
    public async Task Deleting_removes_only_that_users_configuration()
    {
        await _store.SaveAsync(Config(), CancellationToken.None);
        await _store.SaveAsync(Config("mary"), CancellationToken.None);

        Assert.True(await _store.DeleteAsync("JOHN", CancellationToken.None));
        Assert.False(await _store.DeleteAsync("john", CancellationToken.None));

        Assert.Null(await _store.FindAsync("john", CancellationToken.None));
        Assert.Equal(["mary"], (await _store.ListAsync(CancellationToken.None)).Select(c => c.Username));
    }
}
