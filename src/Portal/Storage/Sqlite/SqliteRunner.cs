namespace Portal.Storage.Sqlite;

/// <summary>The <see cref="SqliteDatabase"/> as an <see cref="IStorageRunner"/>, for the engine-neutral stores.</summary>
internal sealed class SqliteRunner(SqliteDatabase database) : IStorageRunner
{
    public StorageDialect Dialect => StorageDialect.Sqlite;

    public StorageEncryption Encryption => database.Encryption;

    public Task<T> RunAsync<T>(Func<StorageScope, Task<T>> work, CancellationToken cancellationToken) => database.RunAsync(work, cancellationToken);

    public Task<T> InTransactionAsync<T>(Func<StorageScope, Task<T>> work, CancellationToken cancellationToken) => database.InTransactionAsync(work, cancellationToken);
}
