using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Portal.Storage.Sqlite;

/// <summary>
/// The SQLite engine's migrations (<c>Storage/Migrations/Sqlite</c>) and its <c>migrations</c> table: applied by
/// <see cref="SqliteDatabase.Open(string, string, TimeProvider?, Microsoft.Extensions.Logging.ILogger{SqliteDatabase}?)"/>
/// at start, and moved up or down by <c>portal storage migrate</c> through an instance on its own connection.
/// </summary>
internal sealed class SqliteMigrator : IStorageMigrator
{
    public static readonly Lazy<IReadOnlyList<MigrationScript>> Scripts = new(() => MigrationScripts.Load("Sqlite"));

    private readonly SqliteConnection _connection;
    private readonly TimeProvider _time;

    /// <exception cref="StorageException">The file cannot be opened as a SQLite database.</exception>
    public SqliteMigrator(string path, TimeProvider? time = null)
    {
        Where = $"'{Path.GetFullPath(path)}'";
        _time = time ?? TimeProvider.System;
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.GetFullPath(path),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        try
        {
            _connection.Open();
            using var busy = _connection.CreateCommand();
            busy.CommandText = "PRAGMA busy_timeout = 5000;";
            busy.ExecuteNonQuery();
            EnsureTable(_connection);
        }
        catch (SqliteException e)
        {
            _connection.Dispose();
            throw SqliteDialect.Instance.ToStorageException(e, $"'{path}'");
        }
    }

    public string Where { get; }

    public IReadOnlyList<MigrationScript> Available => Scripts.Value;

    public int CurrentVersion() => Guard(() => ReadVersion(_connection, transaction: null));

    public IReadOnlyList<AppliedMigration> History() => Guard(() =>
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT version, name, applied_at FROM migrations ORDER BY version;";
        using var reader = command.ExecuteReader();
        var rows = new List<AppliedMigration>();
        while (reader.Read())
        {
            rows.Add(new AppliedMigration(reader.GetInt32(0), reader.GetString(1), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2))));
        }
        return rows;
    });

    public IReadOnlyList<MigrationScript> Up(int target) => Guard(() => ApplyUp(_connection, target, _time, _ => { }));

    public IReadOnlyList<MigrationScript> Down(int target) => Guard(() =>
    {
        // One IMMEDIATE transaction for every step: a failing down script leaves the schema as it was.
        using var transaction = _connection.BeginTransaction(deferred: false);
        var undone = new List<MigrationScript>();
        foreach (var script in Scripts.Value.Where(s => s.Version > target && s.Version <= ReadVersion(_connection, transaction)).Reverse())
        {
            Execute(_connection, transaction, script.Down ?? throw new StorageException(
                $"storage: migration V{script.Version:D4} ({script.Name}) cannot be undone: it has no down script"));
            using var forget = _connection.CreateCommand();
            forget.Transaction = transaction;
            forget.CommandText = "DELETE FROM migrations WHERE version = $version;";
            forget.Parameters.AddWithValue("$version", script.Version);
            forget.ExecuteNonQuery();
            undone.Add(script);
        }
        transaction.Commit();
        return undone;
    });

    public void Dispose() => _connection.Dispose();

    /// <summary>Creates the <c>migrations</c> table if the database has none yet.</summary>
    public static void EnsureTable(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        Execute(connection, null, """
            CREATE TABLE IF NOT EXISTS migrations (
                version INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                applied_at INTEGER NOT NULL
            );
            """);
    }

    public static int ReadVersion(SqliteConnection connection, SqliteTransaction? transaction)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT COALESCE(MAX(version), 0) FROM migrations;";
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Applies the migrations above the recorded version up to <paramref name="target"/>, each in an IMMEDIATE
    /// transaction: two processes starting together serialise on the write lock, and the second sees the first's
    /// work when it re-reads the version inside its transaction.
    /// </summary>
    public static IReadOnlyList<MigrationScript> ApplyUp(SqliteConnection connection, int target, TimeProvider time, Action<MigrationScript> applied)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(applied);
        var done = new List<MigrationScript>();
        foreach (var script in Scripts.Value.Where(s => s.Version <= target))
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            if (ReadVersion(connection, transaction) >= script.Version)
            {
                continue;
            }
            Execute(connection, transaction, script.Up);
            using (var record = connection.CreateCommand())
            {
                record.Transaction = transaction;
                record.CommandText = "INSERT INTO migrations (version, name, applied_at) VALUES ($version, $name, $at);";
                record.Parameters.AddWithValue("$version", script.Version);
                record.Parameters.AddWithValue("$name", script.Name);
                record.Parameters.AddWithValue("$at", time.GetUtcNow().ToUnixTimeMilliseconds());
                record.ExecuteNonQuery();
            }
            transaction.Commit();
            done.Add(script);
            applied(script);
        }
        return done;
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private T Guard<T>(Func<T> work)
    {
        try
        {
            return work();
        }
        catch (SqliteException e)
        {
            throw SqliteDialect.Instance.ToStorageException(e, Where);
        }
    }
}
