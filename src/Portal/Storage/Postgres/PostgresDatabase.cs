using System.Data.Common;
using System.Globalization;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Portal.Configuration;

namespace Portal.Storage.Postgres;

/// <summary>
/// The PostgreSQL engine's <see cref="StorageDatabase"/> (<c>storage.postgres</c>), shared by every portal node: its
/// pool (an <see cref="NpgsqlDataSource"/>, dropped when the server goes away) and its opening.
/// <see cref="Open(PostgresStorageOptions, string, TimeProvider?, ILogger{PostgresDatabase}?)"/> brings the schema up
/// to date under an advisory lock (nodes starting together migrate once) and proves the encryption key.
/// </summary>
internal sealed partial class PostgresDatabase : StorageDatabase
{
    /// <summary>Connections per node: a request holds one for a single store call, so this bounds a node's load on the server.</summary>
    public const int MaxPoolSize = 32;

    private readonly NpgsqlDataSource _dataSource;

    private PostgresDatabase(NpgsqlDataSource dataSource, StorageEncryption encryption, string where, string schema)
        : base(PostgresDialect.Instance, encryption, where)
    {
        _dataSource = dataSource;
        Schema = schema;
    }

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

        var encryption = EncryptionFor(encryptionKey);
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

    protected override async Task<DbConnection> OpenConnectionCoreAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    /// <summary>READ COMMITTED: stores that read before they write take <see cref="PostgresDialect.LockAsync"/> or a row lock first.</summary>
    protected override async Task<DbTransaction> BeginTransactionCoreAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.BeginTransactionAsync(cancellationToken);

    public override int SchemaVersion()
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
    protected override void Dispose(bool disposing) => _dataSource.Dispose();

    protected override bool RetryOnFreshConnection(DbException e)
    {
        if (e is not NpgsqlException npgsql || !PostgresDialect.ConnectionLost(npgsql))
        {
            return false;
        }
        _dataSource.Clear();
        return true;
    }

    protected override StorageException Failed(DbException e)
    {
        if (e is NpgsqlException npgsql && PostgresDialect.ConnectionLost(npgsql))
        {
            // The connection broke (server restarted, network gone): drop the pool's idle connections too, which
            // broke with it, so the next call connects afresh instead of failing on each of them in turn.
            _dataSource.Clear();
        }
        return base.Failed(e);
    }

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
            throw NewerSchema(current, LatestSchemaVersion);
        }
        PostgresMigrator.ApplyUp(connection, transaction, LatestSchemaVersion, time, m => LogMigrationApplied(logger, m.Version, m.Name, Where));
        CheckEncryptionKey(connection, transaction);
        transaction.Commit();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied storage migration V{Version:D4} ({Name}) to {Where}")]
    private static partial void LogMigrationApplied(ILogger logger, int version, string name, string where);

}
