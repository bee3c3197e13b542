using System.Data.Common;
using System.Security.Cryptography;

namespace Portal.Storage;

/// <summary>
/// One open database, whatever the engine, and the one place the stores (<c>Storage/Stores</c>) reach it:
/// <see cref="RunAsync{T}"/> and <see cref="InTransactionAsync{T}"/> give a call its connection as a
/// <see cref="StorageScope"/>, and an engine error from them leaves as a <see cref="StorageException"/>, so no client
/// library type crosses the store interfaces. Each engine's subclass (<c>SqliteDatabase</c>, <c>PostgresDatabase</c>)
/// opens it: connection and pool, migrations, the key check (<see cref="CheckEncryptionKey"/>); so every store can
/// assume the current schema and a working <see cref="Encryption"/>.
/// </summary>
internal abstract class StorageDatabase : IDisposable
{
    private const string KeyCheckName = "check";

    // A fixed plaintext: decrypting it proves the key (GCM authenticates), and its content is no secret.
    private static readonly byte[] KeyCheckPlaintext = "portal storage encryption key check"u8.ToArray();

    protected StorageDatabase(StorageDialect dialect, StorageEncryption encryption, string where)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        ArgumentNullException.ThrowIfNull(encryption);
        Dialect = dialect;
        Encryption = encryption;
        Where = where;
    }

    /// <summary>The SQL and error differences of this database's engine.</summary>
    public StorageDialect Dialect { get; }

    /// <summary>Encrypts and decrypts secret columns with the key this database was created with.</summary>
    public StorageEncryption Encryption { get; }

    /// <summary>How messages name this database (<c>'path'</c>, <c>'host:port/database' (schema 'name')</c>); never a password.</summary>
    public string Where { get; }

    /// <summary>The schema version recorded in the database.</summary>
    /// <exception cref="StorageException">The database cannot be read.</exception>
    public abstract int SchemaVersion();

    /// <summary>Runs one store call's statements on one connection.</summary>
    public async Task<T> RunAsync<T>(Func<StorageScope, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        for (var attempt = 1; ; attempt++)
        {
            StorageScope? scope = null;
            try
            {
                await using var connection = await OpenConnectionCoreAsync(cancellationToken);
                scope = new StorageScope(connection, transaction: null);
                return await work(scope);
            }
            catch (DbException e) when (attempt == 1 && scope is { Completed: 0 } && RetryOnFreshConnection(e))
            {
                // A pooled connection that died while idle (the server restarted): nothing ran, so run the call again.
            }
            catch (DbException e)
            {
                throw Failed(e);
            }
        }
    }

    /// <summary>
    /// <see cref="RunAsync{T}"/> inside a transaction (see <see cref="BeginTransactionCoreAsync"/>), committed when
    /// <paramref name="work"/> returns and rolled back when it throws. A store that reads before it writes takes
    /// <see cref="StorageDialect.LockAsync"/> first.
    /// </summary>
    public async Task<T> InTransactionAsync<T>(Func<StorageScope, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        for (var attempt = 1; ; attempt++)
        {
            StorageScope? scope = null;
            try
            {
                await using var connection = await OpenConnectionCoreAsync(cancellationToken);
                await using var transaction = await BeginTransactionCoreAsync(connection, cancellationToken);
                scope = new StorageScope(connection, transaction);
                var result = await work(scope);
                await transaction.CommitAsync(cancellationToken);
                return result;
            }
            catch (DbException e) when (attempt == 1 && scope is { Completed: 0 } && RetryOnFreshConnection(e))
            {
                // As in RunAsync: the first statement found the connection dead, so the transaction never began.
            }
            catch (DbException e)
            {
                throw Failed(e);
            }
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

    /// <summary>
    /// Decrypts every encrypted value of <paramref name="stores"/> and, when <paramref name="nextKey"/> is given,
    /// re-encrypts them all and the key check row under it, in one transaction: either every value moves to the new
    /// key or, when one does not decrypt, none does (a <see cref="StorageException"/> says which column).
    /// </summary>
    /// <returns>each encrypted column with its count of values</returns>
    /// <exception cref="StorageException">A value does not decrypt with the current key (nothing changed), or the new key is unusable.</exception>
    public Task<IReadOnlyList<EncryptedValues>> ReEncryptAsync(IReadOnlyList<IEncryptedColumns> stores, string? nextKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stores);
        var next = nextKey is null ? null : EncryptionFor(nextKey);
        if (next?.TryDecrypt(Encryption.Encrypt(KeyCheckPlaintext)) is not null)
        {
            throw new StorageException("storage: the new encryption key is the current one; nothing to change");
        }
        return InTransactionAsync<IReadOnlyList<EncryptedValues>>(async scope =>
        {
            var columns = new List<EncryptedValues>();
            foreach (var store in stores)
            {
                columns.AddRange(await store.ReEncryptAsync(scope, next, cancellationToken));
            }
            if (next is not null)
            {
                if (columns.FirstOrDefault(c => c.Unreadable > 0) is { } broken)
                {
                    throw new StorageException(
                        $"storage: {broken.Unreadable} of {broken.Count} values of {broken.Column} do not decrypt with the current key; nothing was changed");
                }
                await scope.ExecuteAsync("UPDATE encryption SET value = @value WHERE name = @name;",
                    [("@value", next.Encrypt(KeyCheckPlaintext)), ("@name", KeyCheckName)], cancellationToken);
            }
            return columns;
        }, cancellationToken);
    }

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>A new open connection (from the engine's pool). The caller disposes it.</summary>
    protected abstract Task<DbConnection> OpenConnectionCoreAsync(CancellationToken cancellationToken);

    /// <summary>The transaction <see cref="InTransactionAsync{T}"/> runs in (SQLite: IMMEDIATE; PostgreSQL: READ COMMITTED).</summary>
    protected abstract Task<DbTransaction> BeginTransactionCoreAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>The <see cref="StorageException"/> an engine error from a store call leaves as.</summary>
    protected virtual StorageException Failed(DbException e) => Dialect.ToStorageException(e, Where);

    /// <summary>
    /// True when <paramref name="e"/>, raised by a call's first statement, says the connection the pool handed out was
    /// already dead (and the engine has dropped its idle connections): the call is then run once more on a fresh
    /// one. Never for an error after a statement completed, so nothing is ever applied twice.
    /// </summary>
    protected virtual bool RetryOnFreshConnection(DbException e) => false;

    protected abstract void Dispose(bool disposing);

    /// <summary>A <see cref="StorageEncryption"/> for the configured key, or the key's problem as a <see cref="StorageException"/>.</summary>
    protected static StorageEncryption EncryptionFor(string encryptionKey)
    {
        try
        {
            return new StorageEncryption(encryptionKey);
        }
        catch (ArgumentException e)
        {
            throw new StorageException($"storage: {e.Message}", e);
        }
    }

    /// <summary>The refusal to open a database whose schema is newer than this build knows.</summary>
    protected StorageException NewerSchema(int current, int latest) => new(
        $"storage: the database {Where} has schema version {current}, but this portal only knows versions up to " +
        $"{latest}; it was written by a newer portal. Upgrade portal, restore a backup, or run that " +
        "portal's 'portal storage migrate down --target N' first");

    /// <summary>
    /// Proves <see cref="Encryption"/>'s key against the check row in <c>encryption</c>, writing that row on a new
    /// database, inside <paramref name="transaction"/> (the caller commits).
    /// </summary>
    /// <exception cref="StorageException">The key is not the one the database was created with.</exception>
    protected void CheckEncryptionKey(DbConnection connection, DbTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var select = StorageScope.Command(connection, transaction, "SELECT value FROM encryption WHERE name = @name;", ("@name", KeyCheckName));
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
        using var insert = StorageScope.Command(connection, transaction, "INSERT INTO encryption (name, value) VALUES (@name, @value);",
            ("@name", KeyCheckName), ("@value", Encryption.Encrypt(KeyCheckPlaintext)));
        insert.ExecuteNonQuery();
    }
}
