using Microsoft.Data.Sqlite;
using Portal.Elevation;
using Portal.Storage.Sqlite;
using Portal.Storage.Stores;
using Portal.Tests.Storage;
using Portal.Tests.Support;
using Portal.WebAuthn;
using static Portal.Tests.Cli.StorageCommandRun;

namespace Portal.Tests.Cli;

/// <summary><c>portal storage encryption check|change-key</c> on SQLite.</summary>
public sealed class StorageEncryptionCommandTests : IDisposable
{
    private const string NewKey = "a-brand-new-encryption-key-for-tests";

    private readonly TempDirectory _dir = new();
    private readonly ManualTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    private string Config(string key, string database = "db.sqlite3") => WriteSqliteConfig(_dir, key, database, $"{key}-{database}.yml");

    /// <summary>A database with a security key (and an attestation) and a pending emailed code, under <see cref="TestKeys.Key"/>.</summary>
    private async Task<IssuedCode> SeedAsync()
    {
        using var db = SqliteDatabase.Open(_dir.File("db.sqlite3"), TestKeys.Key, _time);
        await new WebAuthnCredentialStore(db).AddAsync(new WebAuthnCredential
        {
            CreatedAt = _time.GetUtcNow(), RpId = "auth.example.com", Username = "john", Description = "YubiKey",
            Kid = [1], PublicKey = [4, 5, 6], Attestation = [7, 8],
        });
        return await new OneTimeCodeStore(db, _time).IssueAsync("john", "192.0.2.1", OneTimeCodes.ElevationIntent, 8, TimeSpan.FromMinutes(5), CancellationToken.None);
    }

    [Fact]
    public async Task Check_passes_with_the_databases_key_and_exits_1_with_another()
    {
        await SeedAsync();

        var good = await RunAsync("encryption", "check", "--config", Config(TestKeys.Key));
        var wrong = await RunAsync("encryption", "check", "--config", Config(TestKeys.OtherKey));

        Assert.True(good.Code == 0, good.Err);
        Assert.Contains("webauthn_credentials.public_key", good.Out, StringComparison.Ordinal);
        Assert.Contains("every encrypted value decrypts", good.Out, StringComparison.Ordinal);
        Assert.Equal(1, wrong.Code);
        Assert.Contains("the encryption key does not match", wrong.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_change_key_the_new_key_opens_the_database_with_every_credential_and_pending_code_usable()
    {
        var code = await SeedAsync();

        var change = await RunAsync("encryption", "change-key", "--new-encryption-key", NewKey, "--config", Config(TestKeys.Key));
        var oldKey = await RunAsync("encryption", "check", "--config", Config(TestKeys.Key));
        var newKey = await RunAsync("encryption", "check", "--config", Config(NewKey));

        Assert.True(change.Code == 0, change.Err);
        Assert.Contains("Set storage.encryption_key to it", change.Out, StringComparison.Ordinal);
        Assert.Equal(1, oldKey.Code);
        Assert.True(newKey.Code == 0, newKey.Err);
        using var db = SqliteDatabase.Open(_dir.File("db.sqlite3"), NewKey, _time);
        var key = Assert.Single(await new WebAuthnCredentialStore(db).ListAllAsync("john"));
        Assert.Equal([4, 5, 6], key.PublicKey);
        Assert.Equal([7, 8], key.Attestation!);
        // The code's signature was derived from the old key: re-signed, the code typed after the change still verifies.
        var (outcome, _) = await new OneTimeCodeStore(db, _time).ConsumeAsync("john", "192.0.2.1", OneTimeCodes.ElevationIntent, code.Code, CancellationToken.None);
        Assert.Equal(CodeOutcome.Verified, outcome);
    }

    [Fact]
    public async Task Change_key_with_a_value_that_does_not_decrypt_changes_nothing_and_exits_1()
    {
        await SeedAsync();
        Raw("UPDATE webauthn_credentials SET attestation = randomblob(40);");
        var publicKey = (byte[])Raw("SELECT public_key FROM webauthn_credentials;")!;

        var check = await RunAsync("encryption", "check", "--config", Config(TestKeys.Key));
        var change = await RunAsync("encryption", "change-key", "--new-encryption-key", NewKey, "--config", Config(TestKeys.Key));

        Assert.Equal(1, check.Code);
        Assert.Contains("webauthn_credentials.attestation   1 values, 1 DO NOT DECRYPT", check.Out, StringComparison.Ordinal);
        Assert.Equal(1, change.Code);
        Assert.Contains("1 of 1 values of webauthn_credentials.attestation do not decrypt with the current key; nothing was changed", change.Err, StringComparison.Ordinal);
        // Still the old key's database: the public key's ciphertext untouched, and the old key still opens it.
        Assert.Equal(publicKey, (byte[])Raw("SELECT public_key FROM webauthn_credentials;")!);
        SqliteDatabase.Open(_dir.File("db.sqlite3"), TestKeys.Key, _time).Dispose();
    }

    /// <summary>One statement on the file, past the stores (to damage a value, or read its stored bytes).</summary>
    private object? Raw(string sql)
    {
        using var raw = new SqliteConnection($"Data Source={_dir.File("db.sqlite3")};Pooling=False");
        raw.Open();
        using var command = raw.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    [Fact]
    public async Task Change_key_refuses_a_wrong_current_key_a_short_or_same_new_key_and_a_file_that_is_no_database()
    {
        await SeedAsync();
        await File.WriteAllTextAsync(_dir.File("text.sqlite3"), "this is not a database, just some text that is long enough");

        var wrongKey = await RunAsync("encryption", "change-key", "--new-encryption-key", NewKey, "--config", Config(TestKeys.OtherKey));
        var shortKey = await RunAsync("encryption", "change-key", "--new-encryption-key", "short", "--config", Config(TestKeys.Key));
        var sameKey = await RunAsync("encryption", "change-key", "--new-encryption-key", TestKeys.Key, "--config", Config(TestKeys.Key));
        var notDatabase = await RunAsync("encryption", "change-key", "--new-encryption-key", NewKey, "--config", Config(TestKeys.Key, "text.sqlite3"));

        Assert.Equal((1, 1, 1, 1), (wrongKey.Code, shortKey.Code, sameKey.Code, notDatabase.Code));
        Assert.Contains("the encryption key does not match", wrongKey.Err, StringComparison.Ordinal);
        Assert.Contains("--new-encryption-key must be 20 characters or longer", shortKey.Err, StringComparison.Ordinal);
        Assert.Contains("the new encryption key is the current one", sameKey.Err, StringComparison.Ordinal);
        Assert.Contains("cannot open the SQLite database", notDatabase.Err, StringComparison.Ordinal);
        var check = await RunAsync("encryption", "check", "--config", Config(TestKeys.Key));
        Assert.True(check.Code == 0, check.Err);
    }
}
