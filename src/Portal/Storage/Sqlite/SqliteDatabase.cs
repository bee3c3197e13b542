using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Configuration;

namespace Portal.Storage.Sqlite;

/// <summary>
/// The SQLite engine's database at <c>storage.local.path</c>, and the one place its stores open connections
/// (<see cref="RunAsync{T}"/>, <see cref="InTransactionAsync{T}"/>) and SQLite's errors become
/// <see cref="StorageException"/>s. <see cref="Open(StorageOptions, TimeProvider, ILogger{SqliteDatabase})"/>
/// brings the schema up to date and proves the encryption key before anything else touches the file, so every
/// store can assume the current schema and a working <see cref="Encryption"/>.
/// </summary>
internal sealed partial class SqliteDatabase : IStorageDatabase, IDisposable
{
    /// <summary>How long a connection waits for another writer's lock before failing with SQLITE_BUSY.</summary>
    public static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(5);

    private const string KeyCheckName = "check";

    // A fixed plaintext: decrypting it proves the key (GCM authenticates), and its content is no secret.
    private static readonly byte[] KeyCheckPlaintext = "portal storage encryption key check"u8.ToArray();

    private readonly string _connectionString;
    private readonly string _connectionPragmas;

    private SqliteDatabase(string path, StorageEncryption encryption)
    {
        Path = path;
        Encryption = encryption;
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

    /// <summary>Encrypts and decrypts secret columns with the key this database was created with.</summary>
    public StorageEncryption Encryption { get; }

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

        StorageEncryption encryption;
        try
        {
            encryption = new StorageEncryption(encryptionKey);
        }
        catch (ArgumentException e)
        {
            throw new StorageException($"storage: {e.Message}", e);
        }

        var database = new SqliteDatabase(System.IO.Path.GetFullPath(path), encryption);
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

    /// <summary>
    /// Runs one store call's statements on one connection. A <see cref="SqliteException"/> from them (or from opening)
    /// leaves as a <see cref="StorageException"/>: no SQLite type crosses the store interfaces.
    /// </summary>
    public async Task<T> RunAsync<T>(Func<StorageScope, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        try
        {
            await using var connection = await OpenConnectionAsync(cancellationToken);
            return await work(new StorageScope(connection, transaction: null));
        }
        catch (SqliteException e)
        {
            throw SqliteErrors.ToStorageException(e, Path);
        }
    }

    /// <summary>
    /// <see cref="RunAsync{T}"/> inside an IMMEDIATE transaction, committed when <paramref name="work"/> returns and
    /// rolled back when it throws. IMMEDIATE takes the write lock first, so the reads and the writes see one state
    /// even with another writer racing.
    /// </summary>
    public async Task<T> InTransactionAsync<T>(Func<StorageScope, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        try
        {
            await using var connection = await OpenConnectionAsync(cancellationToken);
            await using var transaction = connection.BeginTransaction(deferred: false);
            var result = await work(new StorageScope(connection, transaction));
            await transaction.CommitAsync(cancellationToken);
            return result;
        }
        catch (SqliteException e)
        {
            throw SqliteErrors.ToStorageException(e, Path);
        }
    }

    /// <summary>One statement on its own connection: <see cref="StorageScope.ExecuteAsync"/>.</summary>
    public Task<int> ExecuteAsync(string sql, (string Name, object? Value)[] parameters, CancellationToken cancellationToken) =>
        RunAsync(scope => scope.ExecuteAsync(sql, parameters, cancellationToken), cancellationToken);

    /// <summary>One statement on its own connection: <see cref="StorageScope.ScalarAsync"/>.</summary>
    public Task<object?> ScalarAsync(string sql, (string Name, object? Value)[] parameters, CancellationToken cancellationToken) =>
        RunAsync(scope => scope.ScalarAsync(sql, parameters, cancellationToken), cancellationToken);

    /// <summary>One statement on its own connection: <see cref="StorageScope.QueryAsync{T}"/>.</summary>
    public Task<List<T>> QueryAsync<T>(
        string sql, (string Name, object? Value)[] parameters, Func<DbDataReader, T> read, CancellationToken cancellationToken) =>
        RunAsync(scope => scope.QueryAsync(sql, parameters, read, cancellationToken), cancellationToken);

    /// <summary>The schema version recorded in the database.</summary>
    /// <exception cref="StorageException">The database cannot be read.</exception>
    public int SchemaVersion()
    {
        try
        {
            using var connection = OpenConnection();
            return SqliteMigrator.ReadVersion(connection, transaction: null);
        }
        catch (SqliteException e)
        {
            throw SqliteErrors.ToStorageException(e, Path);
        }
    }

    /// <summary>Releases pooled connections so the file is closed (tests delete it; a restart reopens it).</summary>
    public void Dispose()
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
            throw new StorageException(
                $"storage: the database '{Path}' has schema version {current}, but this portal only knows versions up " +
                $"to {LatestSchemaVersion}; it was written by a newer portal. Upgrade portal, restore a backup, or run " +
                "that portal's 'portal storage migrate down --target N' first");
        }
        SqliteMigrator.ApplyUp(connection, LatestSchemaVersion, time, m => LogMigrationApplied(logger, m.Version, m.Name, Path));
    }

    private void CheckEncryptionKey(SqliteConnection connection)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        using var select = connection.CreateCommand();
        select.Transaction = transaction;
        select.CommandText = "SELECT value FROM encryption WHERE name = $name;";
        select.Parameters.AddWithValue("$name", KeyCheckName);
        if (select.ExecuteScalar() is byte[] stored)
        {
            byte[] plaintext;
            try
            {
                plaintext = Encryption.Decrypt(stored);
            }
            catch (CryptographicException e)
            {
                throw new StorageException(
                    "storage: the encryption key does not match the one this database was created with", e);
            }
            if (!CryptographicOperations.FixedTimeEquals(plaintext, KeyCheckPlaintext))
            {
                throw new StorageException(
                    "storage: the encryption key does not match the one this database was created with");
            }
            return;
        }

        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO encryption (name, value) VALUES ($name, $value);";
        insert.Parameters.AddWithValue("$name", KeyCheckName);
        insert.Parameters.AddWithValue("$value", Encryption.Encrypt(KeyCheckPlaintext));
        insert.ExecuteNonQuery();
        transaction.Commit();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied storage migration V{Version:D4} ({Name}) to {Path}")]
    private static partial void LogMigrationApplied(ILogger logger, int version, string name, string path);

}
