using Portal.Tests.Support;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Portal.Configuration;
using Portal.Storage;
using Portal.Storage.Sqlite;

namespace Portal.Tests.Storage;

public sealed class SqliteDatabaseTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ManualTimeProvider _time = new();

    public void Dispose() => _dir.Dispose();

    private string DbPath => _dir.File("portal.sqlite3");

    private SqliteDatabase Open(string? key = null) => SqliteDatabase.Open(DbPath, key ?? TestKeys.Key, _time);

    private static long Scalar(SqliteDatabase db, string sql)
    {
        using var connection = db.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static string Text(SqliteDatabase db, string sql)
    {
        using var connection = db.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (string)command.ExecuteScalar()!;
    }

    private static void Execute(SqliteDatabase db, string sql)
    {
        using var connection = db.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    [Fact]
    public void Opening_a_new_file_applies_every_migration_once_and_records_it()
    {
        using var db = Open();

        Assert.True(File.Exists(DbPath));
        Assert.Equal(SqliteDatabase.LatestSchemaVersion, db.SchemaVersion());
        Assert.Equal(SqliteDatabase.LatestSchemaVersion, Scalar(db, "SELECT COUNT(*) FROM migrations"));
        Assert.Equal(_time.GetUtcNow().ToUnixTimeMilliseconds(), Scalar(db, "SELECT applied_at FROM migrations WHERE version = 1"));
    }

    [Fact]
    public void The_initial_schema_creates_every_table_later_features_need()
    {
        using var db = Open();

        foreach (var table in new[]
        {
            "authentication_logs", "banned_user", "banned_ip", "one_time_code", "webauthn_users",
            "webauthn_credentials", "user_preferences", "encryption", "migrations",
        })
        {
            Assert.Equal(1, Scalar(db, $"SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '{table}'"));
        }
    }

    [Fact]
    public void Reopening_applies_nothing_again_and_keeps_the_data()
    {
        using (var first = Open())
        {
            Execute(first, "INSERT INTO user_preferences (username, second_factor_method) VALUES ('alice', 'webauthn')");
        }
        _time.Advance(TimeSpan.FromDays(1));

        using var second = Open();
        using var third = Open();

        Assert.Equal(SqliteDatabase.LatestSchemaVersion, Scalar(third, "SELECT COUNT(*) FROM migrations"));
        // The applied_at stamp is from the first open: the later opens did not re-run the migration.
        Assert.Equal(
            _time.GetUtcNow().AddDays(-1).ToUnixTimeMilliseconds(),
            Scalar(third, "SELECT applied_at FROM migrations WHERE version = 1"));
        Assert.Equal("webauthn", Text(third, "SELECT second_factor_method FROM user_preferences WHERE username = 'alice'"));
    }

    [Fact]
    public void The_database_is_in_WAL_mode()
    {
        using var db = Open();

        Assert.Equal("wal", Text(db, "PRAGMA journal_mode"), ignoreCase: true);
    }

    [Fact]
    public void Every_connection_enforces_foreign_keys_and_waits_for_locks()
    {
        using var db = Open();

        Assert.Equal(1, Scalar(db, "PRAGMA foreign_keys"));
        Assert.Equal((long)SqliteDatabase.BusyTimeout.TotalMilliseconds, Scalar(db, "PRAGMA busy_timeout"));
    }

    [Fact]
    public void A_database_written_by_a_newer_portal_is_refused_with_a_clear_error()
    {
        using (var db = Open())
        {
            Execute(db, $"INSERT INTO migrations (version, name, applied_at) VALUES ({SqliteDatabase.LatestSchemaVersion + 1}, 'Future', 0)");
        }

        var error = Assert.Throws<StorageException>(() => Open());

        Assert.StartsWith("storage: ", error.Message, StringComparison.Ordinal);
        Assert.Contains($"schema version {SqliteDatabase.LatestSchemaVersion + 1}", error.Message, StringComparison.Ordinal);
        Assert.Contains("newer portal", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Opening_with_a_different_encryption_key_is_refused_at_startup()
    {
        Open().Dispose();

        var error = Assert.Throws<StorageException>(() => Open(TestKeys.OtherKey));

        Assert.Equal("storage: the encryption key does not match the one this database was created with", error.Message);
    }

    [Fact]
    public void Opening_again_with_the_same_key_succeeds_and_decrypts_what_an_earlier_open_stored()
    {
        byte[] stored;
        using (var first = Open())
        {
            stored = first.Encryption.Encrypt("credential public key"u8.ToArray());
        }

        using var second = Open();

        Assert.Equal("credential public key"u8.ToArray(), second.Encryption.Decrypt(stored));
    }

    [Fact]
    public void A_short_encryption_key_is_refused_before_the_file_is_created()
    {
        var error = Assert.Throws<StorageException>(() => Open("short-key"));

        Assert.Contains("20 characters or longer", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(DbPath));
    }

    [Fact]
    public void Options_without_a_local_path_are_refused()
    {
        var options = new StorageOptions { EncryptionKey = TestKeys.Key };

        var error = Assert.Throws<StorageException>(() => SqliteDatabase.Open(
            options, TestKeys.Key, _time, Microsoft.Extensions.Logging.Abstractions.NullLogger<SqliteDatabase>.Instance));

        Assert.Equal("storage: local: option 'path' is required", error.Message);
    }

    [Fact]
    public void A_missing_parent_directory_is_created()
    {
        var nested = Path.Combine(_dir.Path, "data", "db", "portal.sqlite3");

        using var db = SqliteDatabase.Open(nested, TestKeys.Key, _time);

        Assert.True(File.Exists(nested));
    }

    [Fact]
    public void A_file_that_is_not_a_database_gives_a_storage_error_naming_the_path()
    {
        File.WriteAllText(DbPath, "this is not an SQLite database, just some text that is long enough to have a header");

        var error = Assert.Throws<StorageException>(() => Open());

        Assert.Contains(DbPath, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WebAuthn_credential_descriptions_are_unique_per_user_ignoring_case_and_kids_are_unique_globally()
    {
        using var db = Open();
        const string insert = """
            INSERT INTO webauthn_credentials (created_at, rpid, username, description, kid, public_key)
            VALUES (0, 'example.com', '{0}', '{1}', X'{2}', X'00');
            """;
        Execute(db, string.Format(CultureInfo.InvariantCulture, insert, "alice", "YubiKey", "01"));

        var sameNameOtherCase = Assert.Throws<SqliteException>(
            () => Execute(db, string.Format(CultureInfo.InvariantCulture, insert, "alice", "yubikey", "02")));
        var sameKidOtherUser = Assert.Throws<SqliteException>(
            () => Execute(db, string.Format(CultureInfo.InvariantCulture, insert, "bob", "Phone", "01")));
        Execute(db, string.Format(CultureInfo.InvariantCulture, insert, "bob", "YubiKey", "03"));

        Assert.Equal(19, sameNameOtherCase.SqliteErrorCode); // SQLITE_CONSTRAINT
        Assert.Equal(19, sameKidOtherUser.SqliteErrorCode);
        Assert.Equal(2, Scalar(db, "SELECT COUNT(*) FROM webauthn_credentials"));
    }

    [Fact]
    public void A_WebAuthn_user_handle_cannot_belong_to_two_users_of_one_relying_party()
    {
        using var db = Open();
        Execute(db, "INSERT INTO webauthn_users (rpid, username, userid) VALUES ('example.com', 'alice', 'handle-1')");

        Assert.Throws<SqliteException>(
            () => Execute(db, "INSERT INTO webauthn_users (rpid, username, userid) VALUES ('example.com', 'bob', 'handle-1')"));
        Assert.Throws<SqliteException>(
            () => Execute(db, "INSERT INTO webauthn_users (rpid, username, userid) VALUES ('example.com', 'alice', 'handle-2')"));
    }

    [Fact]
    public void A_one_time_code_signature_is_unique_per_user()
    {
        using var db = Open();
        const string insert = """
            INSERT INTO one_time_code (public_id, signature, issued, issued_ip, expires, username, intent, code)
            VALUES ('{0}', 'sig', 0, '192.0.2.1', 1, 'alice', 'use', X'00');
            """;
        Execute(db, string.Format(CultureInfo.InvariantCulture, insert, "id-1"));

        Assert.Throws<SqliteException>(() => Execute(db, string.Format(CultureInfo.InvariantCulture, insert, "id-2")));
    }
}
