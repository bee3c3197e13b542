using Portal.Storage;
using Portal.Storage.Sqlite;
using Portal.Storage.Stores;
using Portal.Tests.Storage;
using Portal.Tests.Support;
using static Portal.Tests.Cli.StorageCommandRun;

namespace Portal.Tests.Cli;

/// <summary><c>portal storage migrate</c> on a SQLite database.</summary>
public sealed class StorageMigrateCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _config;

    public StorageMigrateCommandTests()
    {
        _config = WriteConfig(_dir, $"""
            storage:
              encryption_key: a-very-long-encryption-key-for-tests
              local:
                path: {_dir.File("db.sqlite3")}
            """);
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task List_shows_every_migration_pending_on_a_new_database_and_applied_after_up()
    {
        var before = await RunAsync("migrate", "list", "--config", _config);
        var up = await RunAsync("migrate", "up", "--config", _config);
        var after = await RunAsync("migrate", "list", "--config", _config);

        Assert.Equal(0, before.Code);
        Assert.Contains("V0001 Initial              pending, can be undone", before.Out, StringComparison.Ordinal);
        Assert.Contains($"Schema version 0 of {SqliteDatabase.LatestSchemaVersion}.", before.Out, StringComparison.Ordinal);
        Assert.Equal(0, up.Code);
        Assert.Contains("Applied V0001 (Initial).", up.Out, StringComparison.Ordinal);
        Assert.Contains($"Applied V{SqliteDatabase.LatestSchemaVersion:D4}", up.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("pending", after.Out, StringComparison.Ordinal);
        Assert.Contains($"Schema version {SqliteDatabase.LatestSchemaVersion} of {SqliteDatabase.LatestSchemaVersion}.", after.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Down_to_a_target_undoes_the_newer_migrations_and_up_brings_them_back_for_the_portal_to_open()
    {
        SqliteDatabase.Open(_dir.File("db.sqlite3"), TestKeys.Key).Dispose();

        var down = await RunAsync("migrate", "down", "--target", "2", "--destroy-data", "--config", _config);
        var history = await RunAsync("migrate", "history", "--config", _config);
        var upTo3 = await RunAsync("migrate", "up", "--target", "3", "--config", _config);

        Assert.Equal(0, down.Code);
        Assert.Contains("Undid V0004 (PasskeyEnrollment).", down.Out, StringComparison.Ordinal);
        Assert.Contains("Undid V0003 (UsedCeremonies).", down.Out, StringComparison.Ordinal);
        Assert.Contains("Schema version 2.", down.Out, StringComparison.Ordinal);
        Assert.Contains("V0002 OneTimeCodes", history.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("V0003", history.Out, StringComparison.Ordinal);
        Assert.Contains("Schema version 3.", upTo3.Out, StringComparison.Ordinal);
        using var reopened = SqliteDatabase.Open(_dir.File("db.sqlite3"), TestKeys.Key);
        Assert.Equal(SqliteDatabase.LatestSchemaVersion, reopened.SchemaVersion());
    }

    [Fact]
    public async Task Down_to_zero_removes_every_table_and_up_makes_a_working_database_again()
    {
        SqliteDatabase.Open(_dir.File("db.sqlite3"), TestKeys.Key).Dispose();

        var down = await RunAsync("migrate", "down", "--target", "0", "--destroy-data", "--config", _config);
        using (var migrator = new SqliteMigrator(_dir.File("db.sqlite3")))
        {
            Assert.Equal(0, migrator.CurrentVersion());
        }
        // A new key is accepted: the old key check went with the tables.
        using var fresh = SqliteDatabase.Open(_dir.File("db.sqlite3"), TestKeys.OtherKey);

        Assert.Equal(0, down.Code);
        Assert.Contains("Undid V0001 (Initial).", down.Out, StringComparison.Ordinal);
        Assert.Empty(await new WebAuthnCredentialStore(fresh).ListAsync("auth.example.com", "john"));
    }

    [Fact]
    public async Task Down_without_destroy_data_is_refused_and_changes_nothing()
    {
        SqliteDatabase.Open(_dir.File("db.sqlite3"), TestKeys.Key).Dispose();

        var down = await RunAsync("migrate", "down", "--target", "1", "--config", _config);

        Assert.Equal(1, down.Code);
        Assert.Contains("add --destroy-data to confirm", down.Err, StringComparison.Ordinal);
        using var migrator = new SqliteMigrator(_dir.File("db.sqlite3"));
        Assert.Equal(SqliteDatabase.LatestSchemaVersion, migrator.CurrentVersion());
    }

    [Theory]
    [InlineData("migrate down --target 9 --destroy-data", "--target must be at least 0 and below the current version")]
    [InlineData("migrate down --destroy-data", "option --target is required")]
    [InlineData("migrate up --target x", "--target must be a schema version number, not 'x'")]
    [InlineData("migrate sideways", "expected 'storage migrate list|history|up|down' or 'storage copy' (or 'storage user webauthn|totp', 'storage bans', 'storage encryption')")]
    [InlineData("copy --from local --to local --local-path x.sqlite3", "--from and --to must be 'local' and 'postgres', one each")]
    [InlineData("copy --from local --to postgres --local-path x.sqlite3", "the configuration must have 'storage.postgres'")]
    public async Task Bad_arguments_are_refused_with_a_message(string arguments, string expected)
    {
        SqliteDatabase.Open(_dir.File("db.sqlite3"), TestKeys.Key).Dispose();

        var run = await RunAsync([.. arguments.Split(' '), "--config", _config]);

        Assert.Equal(1, run.Code);
        Assert.Contains(expected, run.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public void Every_migration_of_every_engine_can_be_undone(string engine)
    {
        var scripts = MigrationScripts.Load(engine);

        Assert.NotEmpty(scripts);
        Assert.All(scripts, s => Assert.False(s.Down is null, $"{engine} V{s.Version:D4} ({s.Name}) has no .down.sql"));
    }
}
