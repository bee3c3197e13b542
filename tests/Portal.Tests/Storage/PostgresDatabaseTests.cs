using System.Globalization;
using System.Reflection;
using Npgsql;
using Portal.Storage;
using Portal.Storage.Postgres;
using Portal.Storage.Sqlite;

namespace Portal.Tests.Storage;

/// <summary>Opening a PostgreSQL database: migrations under the advisory lock, the schema, the key check, refusals.</summary>
[Trait("Category", "Integration")]
[Collection("postgres")]
public sealed class PostgresDatabaseTests(PostgresServerFixture server)
{
    [Fact]
    public async Task Nodes_opening_an_empty_schema_together_migrate_it_once_and_all_start()
    {
        var options = server.NewSchema();

        var databases = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => PostgresDatabase.Open(options, TestKeys.Key))));

        try
        {
            Assert.All(databases, d => Assert.Equal(PostgresDatabase.LatestSchemaVersion, d.SchemaVersion()));
            await using var connection = server.Connect(options.Schema);
            Assert.Equal((long)PostgresDatabase.LatestSchemaVersion, Scalar(connection, "SELECT COUNT(*) FROM migrations"));
            Assert.Equal(1L, Scalar(connection, "SELECT COUNT(*) FROM encryption"));
        }
        finally
        {
            foreach (var database in databases)
            {
                database.Dispose();
            }
        }
    }

    [Fact]
    public void The_tables_are_made_in_the_configured_schema_and_nowhere_else()
    {
        var options = server.NewSchema("Mixed_Case_" + Guid.NewGuid().ToString("N")[..8]);
        using var database = PostgresDatabase.Open(options, TestKeys.Key);

        using var connection = server.Connect("public");
        var tables = (long)Scalar(connection, $"SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '{options.Schema}'")!;
        var inPublic = (long)Scalar(connection, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name = 'webauthn_credentials'")!;

        // V0001-V0005, V0006 (totp_configurations) and V0007 (recovery_codes).
        Assert.Equal(13, tables);
        Assert.Equal(0, inPublic);
    }

    [Fact]
    public void Both_engines_record_the_same_migration_versions_and_names()
    {
        // What a database records is the version and the file name; the two folders must line up one to one so a
        // copy from one engine to the other knows what it copies.
        var sqlite = Names("Portal.Storage.Migrations.Sqlite.");
        var postgres = Names("Portal.Storage.Migrations.Postgres.");

        Assert.Equal(sqlite, postgres);
        Assert.Equal(SqliteDatabase.LatestSchemaVersion, PostgresDatabase.LatestSchemaVersion);
    }

    [Fact]
    public void A_database_created_with_another_key_is_refused_with_the_reason()
    {
        var options = server.NewSchema();
        PostgresDatabase.Open(options, TestKeys.Key).Dispose();

        var error = Assert.Throws<StorageException>(() => PostgresDatabase.Open(options, TestKeys.OtherKey));

        Assert.Equal("storage: the encryption key does not match the one this database was created with", error.Message);
        using var reopened = PostgresDatabase.Open(options, TestKeys.Key);
    }

    [Fact]
    public void A_schema_written_by_a_newer_portal_is_refused()
    {
        var options = server.NewSchema();
        PostgresDatabase.Open(options, TestKeys.Key).Dispose();
        using (var connection = server.Connect(options.Schema))
        {
            Scalar(connection, "INSERT INTO migrations (version, name, applied_at) VALUES (999, 'Future', 0)");
        }

        var error = Assert.Throws<StorageException>(() => PostgresDatabase.Open(options, TestKeys.Key));

        Assert.Contains("has schema version 999", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_server_that_does_not_answer_fails_the_start_with_a_storage_message_naming_it()
    {
        var options = server.NewSchema(address: string.Create(CultureInfo.InvariantCulture, $"tcp://127.0.0.1:{Support.LoopbackPort.Free()}"));

        var error = Assert.Throws<StorageException>(() => PostgresDatabase.Open(options, TestKeys.Key));

        Assert.StartsWith("storage: cannot open the PostgreSQL database '127.0.0.1:", error.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<NpgsqlException>(error.InnerException);
    }

    [Fact]
    public void The_unix_socket_address_form_reaches_the_same_server()
    {
        var options = server.NewSchema(address: "unix://" + Path.Combine(server.Directory, ".s.PGSQL." + server.Port.ToString(CultureInfo.InvariantCulture)));

        using var database = PostgresDatabase.Open(options, TestKeys.Key);

        Assert.Equal(PostgresDatabase.LatestSchemaVersion, database.SchemaVersion());
    }

    [Fact]
    public async Task A_statement_running_past_the_timeout_is_cancelled_as_unavailable_and_the_pool_goes_on()
    {
        var options = server.NewSchema(timeout: TimeSpan.FromSeconds(1));
        using var database = PostgresDatabase.Open(options, TestKeys.Key);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => database.ScalarAsync("SELECT pg_sleep(30);", [], CancellationToken.None));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.IsAssignableFrom<NpgsqlException>(error.InnerException);
        Assert.Equal(1, await database.ScalarAsync("SELECT 1;", [], CancellationToken.None));
    }

    [Fact]
    public async Task Sixty_four_concurrent_calls_all_succeed_on_at_most_the_pool_size_of_connections()
    {
        using var database = PostgresDatabase.Open(server.NewSchema(), TestKeys.Key);

        var pids = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(() =>
            database.ScalarAsync("SELECT pg_backend_pid() FROM pg_sleep(0.2);", [], CancellationToken.None))));

        var distinct = pids.Distinct().Count();
        Assert.InRange(distinct, 2, PostgresDatabase.MaxPoolSize);
    }

    private static List<string> Names(string prefix) => typeof(StorageException).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(prefix, StringComparison.Ordinal))
        .Select(n => n[prefix.Length..])
        .Order(StringComparer.Ordinal)
        .ToList();

    private static object? Scalar(NpgsqlConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
