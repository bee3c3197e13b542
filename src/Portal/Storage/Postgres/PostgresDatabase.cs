using System.Data.Common;
using System.Globalization;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Portal.Configuration;

namespace Portal.Storage.Postgres;

/// <summary>
/// The PostgreSQL engine's database (<c>storage.postgres</c>), shared by every portal node, and the one place its
/// stores open connections (<see cref="RunAsync{T}"/>, <see cref="InTransactionAsync{T}"/>) and Npgsql's errors
/// become <see cref="StorageException"/>s. <see cref="Open(PostgresStorageOptions, string, TimeProvider?, ILogger{PostgresDatabase}?)"/>
/// brings the schema up to date under an advisory lock (nodes starting together migrate once) and proves the
/// encryption key, so every store can assume the current schema and a working <see cref="Encryption"/>.
/// </summary>
internal sealed partial class PostgresDatabase : IStorageDatabase, IDisposable
{
    /// <summary>Connections per node: a request holds one for a single store call, so this bounds a node's load on the server.</summary>
    public const int MaxPoolSize = 32;

    private const string KeyCheckName = "check";

    // The same fixed plaintext as SQLite's check: decrypting it proves the key (GCM authenticates).
    private static readonly byte[] KeyCheckPlaintext = "portal storage encryption key check"u8.ToArray();

    private readonly NpgsqlDataSource _dataSource;

    private PostgresDatabase(NpgsqlDataSource dataSource, StorageEncryption encryption, string where, string schema)
    {
        _dataSource = dataSource;
        Encryption = encryption;
        Where = where;
        Schema = schema;
    }

    /// <summary>Encrypts and decrypts secret columns with the key this database was created with.</summary>
    public StorageEncryption Encryption { get; }

    /// <summary>How messages name this database: <c>'host:port/database' (schema 'name')</c>; never the password.</summary>
    public string Where { get; }

    public string Schema { get; }

    /// <summary>The highest migration version compiled into this build.</summary>
    public static int LatestSchemaVersion => PostgresMigrator.Scripts.Value[^1].Version;

    public static PostgresDatabase Open(StorageOptions options, TimeProvider time, ILogger<PostgresDatabase> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var postgres = options.Postgres ?? throw new StorageException("storage: postgres: the section is required");
        return Open(postgres, options.EncryptionKey, time, logger);
    }

    /// <summary>Connects, applies pending migrations under an advisory lock and checks the encryption key.</summary>
    /// <exception cref="StorageException">The database cannot be used; the message says why.</exception>
    public static PostgresDatabase Open(PostgresStorageOptions options, string encryptionKey, TimeProvider? time = null, ILogger<PostgresDatabase>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        time ??= TimeProvider.System;
        logger ??= NullLogger<PostgresDatabase>.Instance;

        StorageEncryption encryption;
        try
        {
            encryption = new StorageEncryption(encryptionKey);
        }
        catch (ArgumentException e)
        {
            throw new StorageException($"storage: {e.Message}", e);
        }
        var dataSource = BuildDataSource(options, out var where);
        var database = new PostgresDatabase(dataSource, encryption, where, options.Schema);
        try
        {
            database.MigrateAndCheckKey(time, logger);
            return database;
        }
        catch (NpgsqlException e)
        {
            database.Dispose();
            throw new StorageException($"storage: cannot open the PostgreSQL database {where}: {e.Message}", e);
        }
        catch
        {
            database.Dispose();
            throw;
        }
    }

    /// <summary>The pool for <paramref name="options"/>; <paramref name="where"/> names it in messages.</summary>
    /// <exception cref="StorageException">The address or the client certificate is unusable.</exception>
    internal static NpgsqlDataSource BuildDataSource(PostgresStorageOptions options, out string where)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!PostgresAddress.TryParse(options.Address, out var address, out var error))
        {
            throw new StorageException($"storage: postgres: option 'address' {error}");
        }
        where = string.Create(CultureInfo.InvariantCulture,
            $"'{address.Host}{(address.IsUnixSocket ? "" : ":" + address.Port)}/{options.Database}' (schema '{options.Schema}')");
        var seconds = (int)Math.Ceiling(options.Timeout.TotalSeconds);
        var connection = new NpgsqlConnectionStringBuilder
        {
            Host = address.Host,
            Port = address.Port,
            Database = options.Database,
            Username = options.Username,
            Password = options.Password.Length > 0 ? options.Password : null,
            // Quoted, so the schema is the one named whatever its case.
            SearchPath = "\"" + options.Schema + "\"",
            ApplicationName = "portal",
            // Npgsql caps the connect timeout at 1024 s; statements take the whole timeout.
            Timeout = Math.Min(seconds, 1024),
            CommandTimeout = seconds,
            CancellationTimeout = 2000,
            Pooling = true,
            MinPoolSize = 0,
            MaxPoolSize = MaxPoolSize,
            // A connection idle this long is closed, so a restarted server is met with fresh connections.
            ConnectionIdleLifetime = 60,
            KeepAlive = 30,
            SslMode = options.Tls is null ? SslMode.Disable : options.Tls.SkipVerify ? SslMode.Require : SslMode.VerifyFull,
        };
        var builder = new NpgsqlDataSourceBuilder(connection.ConnectionString);
        if (options.Tls is { } tls)
        {
            var client = PostgresClientCertificate.Load(tls);
#pragma warning disable CA5397 // Pinning 1.3 is what the admin asked for; it removes versions, it never adds weak ones.
            var minimum = string.Equals(tls.MinimumVersion, "TLS1.3", StringComparison.OrdinalIgnoreCase)
                ? SslProtocols.Tls13
                : SslProtocols.None; // the OS's choice, which excludes anything older than 1.2 (as for Redis)
#pragma warning restore CA5397
            builder.UseSslClientAuthenticationOptionsCallback(ssl =>
            {
                ssl.EnabledSslProtocols = minimum;
                if (tls.ServerName.Length > 0)
                {
                    // The name sent (SNI) and the one the certificate is checked against.
                    ssl.TargetHost = tls.ServerName;
                }
                if (client is not null)
                {
                    ssl.ClientCertificates = new X509CertificateCollection { client };
                }
                if (tls.SkipVerify)
                {
#pragma warning disable CA5359 // The admin asked for it explicitly with tls.skip_verify.
                    ssl.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
#pragma warning restore CA5359
                }
                // Otherwise SslMode.VerifyFull checks the chain against the system's roots and the name against
                // TargetHost (server_name when set); Npgsql refuses a callback of ours in that mode.
            });
        }
        return builder.Build();
    }

    /// <summary>
    /// Runs one store call's statements on one pooled connection. An <see cref="NpgsqlException"/> from them (or from
    /// opening) leaves as a <see cref="StorageException"/>: no Npgsql type crosses the store interfaces.
    /// </summary>
    public async Task<T> RunAsync<T>(Func<StorageScope, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            return await work(new StorageScope(connection, transaction: null));
        }
        catch (NpgsqlException e)
        {
            throw Failed(e);
        }
    }

    /// <summary>
    /// <see cref="RunAsync{T}"/> inside a READ COMMITTED transaction, committed when <paramref name="work"/> returns
    /// and rolled back when it throws. Stores that read before they write take a row or advisory lock first.
    /// </summary>
    public async Task<T> InTransactionAsync<T>(Func<StorageScope, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var result = await work(new StorageScope(connection, transaction));
            await transaction.CommitAsync(cancellationToken);
            return result;
        }
        catch (NpgsqlException e)
        {
            throw Failed(e);
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
            using var connection = _dataSource.OpenConnection();
            using var transaction = connection.BeginTransaction();
            return PostgresMigrator.ReadVersion(connection, transaction);
        }
        catch (NpgsqlException e)
        {
            throw Failed(e);
        }
    }

    /// <summary>Closes the pool's connections.</summary>
    public void Dispose() => _dataSource.Dispose();

    private StorageException Failed(NpgsqlException e)
    {
        if (ConnectionLost(e))
        {
            // The connection broke (server restarted, network gone): drop the pool's idle connections too, which
            // broke with it, so the next call connects afresh instead of failing on each of them in turn.
            _dataSource.Clear();
        }
        return PostgresErrors.ToStorageException(e, Where);
    }

    /// <summary>
    /// No answer from the server, or its class 08 (connection exception) or 57 (operator intervention: shutdown,
    /// crash, restart) errors; a cancelled statement (57014, the statement timeout) leaves the connection usable.
    /// </summary>
    private static bool ConnectionLost(NpgsqlException e) =>
        e is not PostgresException postgres
        || postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
        || (postgres.SqlState.StartsWith("57", StringComparison.Ordinal) && postgres.SqlState != PostgresErrorCodes.QueryCanceled);

    private void MigrateAndCheckKey(TimeProvider time, ILogger logger)
    {
        using var connection = _dataSource.OpenConnection();
        // One transaction holds the advisory lock: a second node starting now waits here, then sees the migrations
        // done. PostgreSQL's DDL is transactional, so a failed migration leaves nothing half-applied.
        using var transaction = connection.BeginTransaction();
        PostgresMigrator.LockAndPrepare(connection, transaction, Schema);
        var current = PostgresMigrator.ReadVersion(connection, transaction);
        if (current > LatestSchemaVersion)
        {
            throw new StorageException(
                $"storage: the database {Where} has schema version {current}, but this portal only knows versions up to " +
                $"{LatestSchemaVersion}; it was written by a newer portal. Upgrade portal, restore a backup, or run that " +
                "portal's 'portal storage migrate down --target N' first");
        }
        PostgresMigrator.ApplyUp(connection, transaction, LatestSchemaVersion, time, m => LogMigrationApplied(logger, m.Version, m.Name, Where));
        CheckEncryptionKey(connection, transaction);
        transaction.Commit();
    }

    private void CheckEncryptionKey(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        if (PostgresMigrator.Scalar(connection, transaction, "SELECT value FROM encryption WHERE name = @name;", ("@name", KeyCheckName)) is byte[] stored)
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
        PostgresMigrator.Execute(connection, transaction, "INSERT INTO encryption (name, value) VALUES (@name, @value);",
            ("@name", KeyCheckName), ("@value", Encryption.Encrypt(KeyCheckPlaintext)));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied storage migration V{Version:D4} ({Name}) to {Where}")]
    private static partial void LogMigrationApplied(ILogger logger, int version, string name, string where);

}
