using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Configuration;

namespace Portal.Storage.Sqlite;

/// <summary>
/// The SQLite engine's <see cref="StorageDatabase"/> at <c>storage.local.path</c>: its connections (WAL, busy timeout,
/// IMMEDIATE transactions) and its opening. <see cref="Open(StorageOptions, string, TimeProvider, ILogger{SqliteDatabase})"/>
/// brings the schema up to date and proves the encryption key before anything else touches the file.
/// </summary>
internal sealed partial class SqliteDatabase : StorageDatabase
{
    /// <summary>How long a connection waits for another writer's lock before failing with SQLITE_BUSY.</summary>
    public static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(5);

    private readonly string _connectionString;
    private readonly string _connectionPragmas;

    private SqliteDatabase(string path, StorageEncryption encryption)
        : base(SqliteDialect.Instance, encryption, $"'{path}'")
    {
        Path = path;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            ForeignKeys = true,
            Pooling = true,
        }.ToString();
        // busy_timeout and synchronous are per connection, so they are set on every open; journal_mode=WAL is
        // stored in the file and set once in Open.
        _connectionPragmas = string.Create(
            CultureInfo.InvariantCulture,
            $"PRAGMA busy_timeout = {(int)BusyTimeout.TotalMilliseconds}; PRAGMA synchronous = NORMAL;");
    }

    public string Path { get; }

    /// <summary>The highest migration version compiled into this build.</summary>
    public static int LatestSchemaVersion => SqliteMigrator.Scripts.Value[^1].Version;

    /// <param name="encryptionKey">the configured key, or the generated one when none is configured (options are read-only)</param>
    public static SqliteDatabase Open(StorageOptions options, string encryptionKey, TimeProvider time, ILogger<SqliteDatabase> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Local is null || string.IsNullOrWhiteSpace(options.Local.Path))
        {
            throw new StorageException("storage: local: option 'path' is required");
        }
        return Open(options.Local.Path, encryptionKey, time, logger);
    }

    /// <summary>
    /// Opens (creating if needed) the database, applies pending migrations and checks the encryption key.
    /// </summary>
    /// <exception cref="StorageException">The database cannot be used; the message says why.</exception>
    public static SqliteDatabase Open(string path, string encryptionKey, TimeProvider? time = null, ILogger<SqliteDatabase>? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        time ??= TimeProvider.System;
        logger ??= NullLogger<SqliteDatabase>.Instance;

        var database = new SqliteDatabase(System.IO.Path.GetFullPath(path), EncryptionFor(encryptionKey));
        try
        {
            var directory = System.IO.Path.GetDirectoryName(database.Path);
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }
            using var connection = database.OpenConnection();
            EnableWal(connection, database.Path);
            database.Migrate(connection, time, logger);
            database.CheckEncryptionKey(connection);
            return database;
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException)
        {
            database.Dispose();
            throw new StorageException($"storage: cannot open the SQLite database '{database.Path}': {e.Message}", e);
        }
        catch
        {
            database.Dispose();
            throw;
        }
    }

    /// <summary>A new open connection with this database's pragmas applied. The caller disposes it.</summary>
    public SqliteConnection OpenConnection()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = _connectionPragmas;
            command.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <inheritdoc cref="OpenConnection"/>
    public async Task<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = _connectionPragmas;
            await command.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    protected override async Task<DbConnection> OpenConnectionCoreAsync(CancellationToken cancellationToken) =>
        await OpenConnectionAsync(cancellationToken);

    /// <summary>
    /// IMMEDIATE takes the write lock first, so the reads and the writes see one state even with another writer
    /// racing (<see cref="SqliteDialect.LockAsync"/> has nothing left to take).
    /// </summary>
    protected override Task<DbTransaction> BeginTransactionCoreAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));

    public override int SchemaVersion()
    {
        try
        {
            using var connection = OpenConnection();
            return SqliteMigrator.ReadVersion(connection, transaction: null);
        }
        catch (SqliteException e)
        {
            throw Dialect.ToStorageException(e, Where);
        }
    }

    /// <summary>Releases pooled connections so the file is closed (tests delete it; a restart reopens it).</summary>
    protected override void Dispose(bool disposing)
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    private static void EnableWal(SqliteConnection connection, string path)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL;";
        var mode = command.ExecuteScalar() as string;
        // SQLite silently keeps the old mode where WAL is impossible (e.g. some network file systems); readers
        // would then block writers, so refuse rather than run degraded without anyone noticing.
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new StorageException(
                $"storage: the SQLite database '{path}' could not be switched to WAL journal mode (got '{mode}'); " +
                "is it on a network file system?");
        }
    }

    private void Migrate(SqliteConnection connection, TimeProvider time, ILogger logger)
    {
        SqliteMigrator.EnsureTable(connection);
        var current = SqliteMigrator.ReadVersion(connection, transaction: null);
        if (current > LatestSchemaVersion)
        {
            throw NewerSchema(current, LatestSchemaVersion);
        }
        SqliteMigrator.ApplyUp(connection, LatestSchemaVersion, time, m => LogMigrationApplied(logger, m.Version, m.Name, Path));
    }

    private void CheckEncryptionKey(SqliteConnection connection)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        CheckEncryptionKey(connection, transaction);
        transaction.Commit();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied storage migration V{Version:D4} ({Name}) to {Path}")]
    private static partial void LogMigrationApplied(ILogger logger, int version, string name, string path);

}
