namespace Portal.Storage.Postgres;

/// <summary>The <see cref="PostgresDatabase"/> as an <see cref="IStorageRunner"/>, for the engine-neutral stores.</summary>
internal sealed class PostgresRunner(PostgresDatabase database) : IStorageRunner
{
    public StorageDialect Dialect => StorageDialect.Postgres;

    public StorageEncryption Encryption => database.Encryption;

    public Task<T> RunAsync<T>(Func<StorageScope, Task<T>> work, CancellationToken cancellationToken) => database.RunAsync(work, cancellationToken);

    public Task<T> InTransactionAsync<T>(Func<StorageScope, Task<T>> work, CancellationToken cancellationToken) => database.InTransactionAsync(work, cancellationToken);
}
