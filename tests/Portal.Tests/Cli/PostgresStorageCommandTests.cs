using System.Globalization;
using System.Net;
using Portal.Elevation;
using Portal.Regulation;
using Portal.Storage.Postgres;
using Portal.Storage.Sqlite;
using Portal.Storage.Stores;
using Portal.Tests.Storage;
using Portal.Tests.Support;
using Portal.WebAuthn;
using static Portal.Tests.Cli.StorageCommandRun;

namespace Portal.Tests.Cli;

/// <summary>
/// <c>portal storage migrate</c> and <c>portal storage copy</c> against a real PostgreSQL: a single node's SQLite
/// database moves into PostgreSQL with every key, code and log entry still usable there, and back.
/// </summary>
[Trait("Category", "Integration")]
[Collection("postgres")]
public sealed class PostgresStorageCommandTests(PostgresServerFixture server) : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Config(string schema) => WriteConfig(_dir, string.Create(CultureInfo.InvariantCulture, $"""
        storage:
          encryption_key: {TestKeys.Key}
          postgres:
            address: 'tcp://127.0.0.1:{server.Port}'
            database: postgres
            schema: {schema}
            username: {PostgresServerFixture.Username}
        """));

    [Fact]
    public async Task Migrate_goes_down_and_up_on_postgres_and_history_follows()
    {
        var options = server.NewSchema();
        var config = Config(options.Schema);

        var up = await RunAsync("migrate", "up", "--target", "2", "--config", config);
        var list = await RunAsync("migrate", "list", "--config", config);
        var upAll = await RunAsync("migrate", "up", "--config", config);
        var down = await RunAsync("migrate", "down", "--target", "1", "--destroy-data", "--config", config);
        var history = await RunAsync("migrate", "history", "--config", config);

        Assert.True(up.Code == 0, up.Err);
        Assert.Contains("Applied V0002 (OneTimeCodes).", up.Out, StringComparison.Ordinal);
        Assert.Contains("V0003 UsedCeremonies       pending", list.Out, StringComparison.Ordinal);
        Assert.Contains($"Schema version {PostgresDatabase.LatestSchemaVersion}.", upAll.Out, StringComparison.Ordinal);
        Assert.Contains("Schema version 1.", down.Out, StringComparison.Ordinal);
        Assert.Contains("1 migrations applied.", history.Out, StringComparison.Ordinal);
        // The portal brings it up again at start, and its stores work.
        using var database = PostgresDatabase.Open(options, TestKeys.Key);
        Assert.True(await new UsedCeremonyStore(database).TryConsumeAsync("state", DateTimeOffset.UnixEpoch, TimeSpan.FromDays(1)));
    }

    [Fact]
    public async Task A_single_nodes_sqlite_database_copied_into_postgres_keeps_every_key_code_and_log_entry_usable()
    {
        var time = new ManualTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));
        var path = _dir.File("single-node.sqlite3");
        long credentialId;
        IssuedCode code;
        string handle;
        using (var sqlite = SqliteDatabase.Open(path, TestKeys.Key, time))
        {
            var credentials = new WebAuthnCredentialStore(sqlite);
            handle = await credentials.GetOrCreateUserHandleAsync("auth.example.com", "john");
            (_, credentialId) = await credentials.AddAsync(new WebAuthnCredential
            {
                CreatedAt = time.GetUtcNow(), RpId = "auth.example.com", Username = "john", Description = "YubiKey",
                Kid = [1, 2, 3], PublicKey = [4, 5, 6], Attestation = [7], SignCount = 41, Discoverable = true, Transports = ["usb"],
            });
            code = await new OneTimeCodeStore(sqlite, time).IssueAsync("john", "192.0.2.1", OneTimeCodes.ElevationIntent, 8, TimeSpan.FromMinutes(5), CancellationToken.None);
            var attempts = new AuthenticationLogStore(sqlite);
            await attempts.AppendAsync(time.GetUtcNow(), new(false, false, "john", AuthenticationTypes.OneFactor, IPAddress.Loopback, "https://a/", "POST"));
            await attempts.AddBanAsync(RegulationSubject.User, "harry", time.GetUtcNow(), null, "cli", "kept");
            await new PasskeyOfferStore(sqlite).SnoozeAsync("john", time.GetUtcNow().AddDays(3));
            await new UsedCeremonyStore(sqlite).TryConsumeAsync("used", time.GetUtcNow(), TimeSpan.FromDays(1));
        }
        var options = server.NewSchema();
        var config = Config(options.Schema);

        var copy = await RunAsync("copy", "--from", "local", "--to", "postgres", "--local-path", path, "--config", config);
        var again = await RunAsync("copy", "--from", "local", "--to", "postgres", "--local-path", path, "--config", config);

        Assert.True(copy.Code == 0, copy.Err + copy.Out);
        Assert.Contains("webauthn_credentials         1 rows", copy.Out, StringComparison.Ordinal);
        Assert.Equal(1, again.Code);
        Assert.Contains("already holds data", again.Err, StringComparison.Ordinal);
        using var postgres = PostgresDatabase.Open(options, TestKeys.Key, time);
        var store = new WebAuthnCredentialStore(postgres);
        var key = (await store.FindAsync("auth.example.com", "john", credentialId))!;
        // Decrypted on PostgreSQL: the ciphertext moved unchanged and the key is the same.
        Assert.Equal([4, 5, 6], key.PublicKey);
        Assert.Equal([7], key.Attestation!);
        Assert.Equal((41u, true, "usb"), (key.SignCount, key.Discoverable, key.Transports[0]));
        Assert.Equal(handle, await store.GetOrCreateUserHandleAsync("auth.example.com", "john"));
        Assert.Equal("john", await store.FindUsernameByHandleAsync("auth.example.com", handle));
        // New rows get ids after the copied ones.
        var (added, newId) = await store.AddAsync(key with { Id = 0, Kid = [9], Description = "Second" });
        Assert.Equal((CredentialWriteResult.Done, credentialId + 1), (added, newId));
        Assert.Equal(CodeOutcome.Verified, (await new OneTimeCodeStore(postgres, time).ConsumeAsync("john", "192.0.2.1", OneTimeCodes.ElevationIntent, code.Code, CancellationToken.None)).Outcome);
        var log = new AuthenticationLogStore(postgres);
        Assert.Single(await log.ReadRecentAttemptsAsync(RegulationSubject.User, "john", time.GetUtcNow().AddMinutes(-1), AuthenticationTypes.Regulated, false, 10));
        Assert.Equal("kept", (await log.FindActiveBanAsync(RegulationSubject.User, "harry", time.GetUtcNow()))!.Reason);
        Assert.Equal(time.GetUtcNow().AddDays(3), await new PasskeyOfferStore(postgres).SnoozedUntilAsync("john"));
        Assert.False(await new UsedCeremonyStore(postgres).TryConsumeAsync("used", time.GetUtcNow(), TimeSpan.FromDays(1)));

        // And back, into a fresh file: the same rows.
        var back = _dir.File("back.sqlite3");
        SqliteDatabase.Open(back, TestKeys.Key).Dispose();
        var reverse = await RunAsync("copy", "--from", "postgres", "--to", "local", "--local-path", back, "--config", config);
        Assert.True(reverse.Code == 0, reverse.Err + reverse.Out);
        using var returned = SqliteDatabase.Open(back, TestKeys.Key, time);
        Assert.Equal(["YubiKey", "Second"], (await new WebAuthnCredentialStore(returned).ListAsync("auth.example.com", "john")).Select(c => c.Description));
    }

    [Fact]
    public async Task A_copy_with_another_encryption_key_is_refused_before_anything_is_written()
    {
        var path = _dir.File("other-key.sqlite3");
        SqliteDatabase.Open(path, TestKeys.OtherKey).Dispose();
        var options = server.NewSchema();

        var copy = await RunAsync("copy", "--from", "local", "--to", "postgres", "--local-path", path, "--config", Config(options.Schema));

        Assert.Equal(1, copy.Code);
        Assert.Contains("the encryption key does not match", copy.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_exported_from_sqlite_import_into_postgres_and_survive_a_key_change_there_with_bans_and_codes()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var path = _dir.File("export-source.sqlite3");
        using (var sqlite = SqliteDatabase.Open(path, TestKeys.Key, time))
        {
            await new WebAuthnCredentialStore(sqlite).AddAsync(new WebAuthnCredential
            {
                CreatedAt = time.GetUtcNow(), RpId = "auth.example.com", Username = "john", Description = "YubiKey",
                Kid = [1, 2], PublicKey = [4, 5, 6], Attestation = null, SignCount = 3, Transports = ["usb"],
            });
        }
        var sqliteConfig = WriteSqliteConfig(_dir, TestKeys.Key, "export-source.sqlite3", "sqlite.yml");
        var options = server.NewSchema();
        var config = Config(options.Schema);
        var file = _dir.File("keys.yml");
        IssuedCode code;
        using (var postgres = PostgresDatabase.Open(options, TestKeys.Key, time))
        {
            code = await new OneTimeCodeStore(postgres, time).IssueAsync("john", "192.0.2.1", OneTimeCodes.ElevationIntent, 8, TimeSpan.FromMinutes(5), CancellationToken.None);
        }

        var export = await RunAsync("user", "webauthn", "export", "--file", file, "--config", sqliteConfig);
        var import = await RunAsync("user", "webauthn", "import", "--file", file, "--config", config);
        var ban = await RunAsync("bans", "ip", "add", "192.0.2.9", "--reason", "scanner", "--config", config);
        var change = await RunAsync("encryption", "change-key", "--new-encryption-key", "the-nodes-next-encryption-key", "--config", config);
        var oldKey = await RunAsync("encryption", "check", "--config", config);

        Assert.True(export.Code == 0, export.Err);
        Assert.True(import.Code == 0, import.Err);
        Assert.True(ban.Code == 0, ban.Err);
        Assert.True(change.Code == 0, change.Err);
        Assert.Equal(1, oldKey.Code);
        Assert.Contains("the encryption key does not match", oldKey.Err, StringComparison.Ordinal);
        using var reopened = PostgresDatabase.Open(options, "the-nodes-next-encryption-key", time);
        var key = Assert.Single(await new WebAuthnCredentialStore(reopened).ListAllAsync("john"));
        Assert.Equal([4, 5, 6], key.PublicKey);
        Assert.Equal(3u, key.SignCount);
        Assert.Null(key.Attestation);
        Assert.Equal(CodeOutcome.Verified, (await new OneTimeCodeStore(reopened, time).ConsumeAsync("john", "192.0.2.1", OneTimeCodes.ElevationIntent, code.Code, CancellationToken.None)).Outcome);
        Assert.Equal("scanner", (await new AuthenticationLogStore(reopened).FindActiveBanAsync(RegulationSubject.Ip, "192.0.2.9", DateTimeOffset.UtcNow))!.Reason);
    }
}
