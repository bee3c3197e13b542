using System.Globalization;
using Npgsql;
using Portal.Configuration;

namespace Portal.Storage.Postgres;

/// <summary>
/// The PostgreSQL engine's migrations (<c>Storage/Migrations/Postgres</c>) and its <c>migrations</c> table: applied by
/// <see cref="PostgresDatabase"/> at start, and moved up or down by <c>portal storage migrate</c>. Every change runs
/// in one transaction holding the schema's advisory lock, so nodes starting together (or a node and the command)
/// never migrate the same schema at once, and PostgreSQL's transactional DDL leaves nothing half done.
/// </summary>
internal sealed class PostgresMigrator : IStorageMigrator
{
    public static readonly Lazy<IReadOnlyList<MigrationScript>> Scripts = new(() => MigrationScripts.Load("Postgres"));

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _schema;
    private readonly TimeProvider _time;

    public PostgresMigrator(PostgresStorageOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _dataSource = PostgresDatabase.BuildDataSource(options, out var where);
        Where = where;
        _schema = options.Schema;
        _time = time ?? TimeProvider.System;
    }

    public string Where { get; }

    public IReadOnlyList<MigrationScript> Available => Scripts.Value;

    public int CurrentVersion() => Locked((connection, transaction) => ReadVersion(connection, transaction));

    public IReadOnlyList<AppliedMigration> History() => Locked((connection, transaction) =>
    {
        using var command = new NpgsqlCommand("SELECT version, name, applied_at FROM migrations ORDER BY version;", connection, transaction);
        using var reader = command.ExecuteReader();
        var rows = new List<AppliedMigration>();
        while (reader.Read())
        {
            rows.Add(new AppliedMigration(reader.GetInt32(0), reader.GetString(1), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2))));
        }
        return rows;
    });

    public IReadOnlyList<MigrationScript> Up(int target) =>
        Locked((connection, transaction) => ApplyUp(connection, transaction, target, _time, _ => { }));

    public IReadOnlyList<MigrationScript> Down(int target) => Locked((connection, transaction) =>
    {
        var current = ReadVersion(connection, transaction);
        var undone = new List<MigrationScript>();
        foreach (var script in Scripts.Value.Where(s => s.Version > target && s.Version <= current).Reverse())
        {
            Execute(connection, transaction, script.Down ?? throw new StorageException(
                $"storage: migration V{script.Version:D4} ({script.Name}) cannot be undone: it has no down script"));
            Execute(connection, transaction, "DELETE FROM migrations WHERE version = @version;", ("@version", script.Version));
            undone.Add(script);
        }
        return undone;
    });

    public void Dispose() => _dataSource.Dispose();

    /// <summary>
    /// Takes the schema's advisory lock for the rest of <paramref name="transaction"/>, then makes the schema (only when
    /// missing: CREATE SCHEMA IF NOT EXISTS would still need the CREATE privilege) and the <c>migrations</c> table.
    /// </summary>
    public static void LockAndPrepare(NpgsqlConnection connection, NpgsqlTransaction transaction, string schema)
    {
        Execute(connection, transaction, "SELECT pg_advisory_xact_lock(hashtext('portal storage migrations ' || @schema));", ("@schema", schema));
        if (Scalar(connection, transaction, "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = @schema);", ("@schema", schema)) is not true)
        {
            Execute(connection, transaction, $"CREATE SCHEMA \"{schema.Replace("\"", "\"\"", StringComparison.Ordinal)}\";");
        }
        Execute(connection, transaction, """
            CREATE TABLE IF NOT EXISTS migrations (
                version INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                applied_at BIGINT NOT NULL
            );
            """);
    }

    public static int ReadVersion(NpgsqlConnection connection, NpgsqlTransaction transaction) =>
        Convert.ToInt32(Scalar(connection, transaction, "SELECT COALESCE(MAX(version), 0) FROM migrations;"), CultureInfo.InvariantCulture);

    /// <summary>Applies the migrations above the recorded version up to <paramref name="target"/>, inside the caller's locked transaction.</summary>
    public static IReadOnlyList<MigrationScript> ApplyUp(
        NpgsqlConnection connection, NpgsqlTransaction transaction, int target, TimeProvider time, Action<MigrationScript> applied)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(applied);
        var current = ReadVersion(connection, transaction);
        var done = new List<MigrationScript>();
        foreach (var script in Scripts.Value.Where(s => s.Version > current && s.Version <= target))
        {
            Execute(connection, transaction, script.Up);
            Execute(connection, transaction, "INSERT INTO migrations (version, name, applied_at) VALUES (@version, @name, @at);",
                ("@version", script.Version), ("@name", script.Name), ("@at", time.GetUtcNow().ToUnixTimeMilliseconds()));
            done.Add(script);
            applied(script);
        }
        return done;
    }

    internal static void Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        command.ExecuteNonQuery();
    }

    internal static object? Scalar(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        return command.ExecuteScalar();
    }

    private T Locked<T>(Func<NpgsqlConnection, NpgsqlTransaction, T> work)
    {
        try
        {
            using var connection = _dataSource.OpenConnection();
            using var transaction = connection.BeginTransaction();
            LockAndPrepare(connection, transaction, _schema);
            var result = work(connection, transaction);
            transaction.Commit();
            return result;
        }
        catch (NpgsqlException e)
        {
            throw PostgresDialect.Instance.ToStorageException(e, Where);
        }
    }
}
