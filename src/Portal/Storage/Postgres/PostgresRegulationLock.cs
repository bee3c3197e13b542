using Npgsql;
using Portal.Regulation;

namespace Portal.Storage.Postgres;

/// <summary>
/// <see cref="IRegulationLock"/> for nodes sharing one PostgreSQL database: a transaction-scoped advisory lock per
/// key, <c>pg_advisory_xact_lock(class, key)</c>, held on a connection of its own until the regulator releases it
/// (the transaction is rolled back: the lock guards statements run elsewhere and writes nothing). A node that dies or
/// loses its connection releases its locks with it.
/// </summary>
/// <remarks>
/// The locks have their own pool (<see cref="MaxHolders"/> connections): a holder verifies and records through the
/// stores, which take connections from the database's pool, so sharing one pool would let holders take every
/// connection and wait for one more forever. Holders beyond that wait in line here, not in Npgsql's pool, whose wait
/// would end in a timeout. IP and user locks have different classes and every caller takes the IP first, so two
/// holders never wait on each other; the schema is part of the key, so portals on other schemas of the same
/// database do not hold each other up.
/// </remarks>
internal sealed class PostgresRegulationLock : IRegulationLock, IDisposable
{
    /// <summary>Connections (and so sign-ins checking a credential at once) per node.</summary>
    public const int MaxHolders = 16;

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _where;
    private readonly string _schema;
    private readonly SemaphoreSlim _holders = new(MaxHolders, MaxHolders);

    /// <exception cref="StorageException">The address or the client certificate is unusable.</exception>
    public PostgresRegulationLock(PostgresStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _dataSource = PostgresDatabase.BuildDataSource(options, out _where);
        _schema = options.Schema;
    }

    public async Task<IAsyncDisposable> HoldAsync(IReadOnlyList<RegulationLockKey> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        await _holders.WaitAsync(cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            NpgsqlConnection? connection = null;
            try
            {
                connection = await _dataSource.OpenConnectionAsync(cancellationToken);
                var transaction = await connection.BeginTransactionAsync(cancellationToken);
                var scope = new StorageScope(connection, transaction);
                foreach (var key in keys)
                {
                    await scope.ExecuteAsync("SELECT pg_advisory_xact_lock(hashtext(@class), hashtext(@key));",
                    [
                        ("@class", key.Subject == RegulationSubject.Ip ? "portal regulation ip" : "portal regulation user"),
                        ("@key", _schema + "/" + key.Value),
                    ], cancellationToken);
                }
                return new Lease(this, connection, transaction);
            }
            catch (NpgsqlException e) when (attempt == 1 && PostgresDialect.ConnectionLost(e))
            {
                // An idle connection from before a server restart: the pool's others broke with it. Nothing was held
                // or written, so drop them all and try once more on a fresh connection.
                await DisposeQuietlyAsync(connection);
                _dataSource.Clear();
            }
            catch (NpgsqlException e)
            {
                await DisposeQuietlyAsync(connection);
                _holders.Release();
                if (PostgresDialect.ConnectionLost(e))
                {
                    _dataSource.Clear();
                }
                throw PostgresDialect.Instance.ToStorageException(e, _where);
            }
            catch
            {
                await DisposeQuietlyAsync(connection);
                _holders.Release();
                throw;
            }
        }
    }

    public void Dispose()
    {
        _dataSource.Dispose();
        _holders.Dispose();
    }

    private async ValueTask ReleaseAsync(NpgsqlConnection connection)
    {
        try
        {
            // Closing returns the connection to the pool, which rolls the transaction back: the locks go with it.
            await connection.DisposeAsync();
        }
        finally
        {
            _holders.Release();
        }
    }

    private static async ValueTask DisposeQuietlyAsync(NpgsqlConnection? connection)
    {
        if (connection is null)
        {
            return;
        }
        try
        {
            await connection.DisposeAsync();
        }
        catch (NpgsqlException)
        {
            // Already broken: the pool discards it.
        }
    }

    private sealed class Lease(PostgresRegulationLock owner, NpgsqlConnection connection, NpgsqlTransaction transaction) : IAsyncDisposable
    {
        private int _disposed;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                return;
            }
            try
            {
                await transaction.DisposeAsync();
            }
            catch (NpgsqlException)
            {
                // A broken connection: the server dropped the locks with it, and the pool discards it.
            }
            finally
            {
                await owner.ReleaseAsync(connection);
            }
        }
    }
}
