namespace Portal.Storage;

/// <summary>
/// What a store written once for every engine needs from the engine's database: its encryption, and a call's
/// statements on one connection (<see cref="RunAsync{T}"/>) or in one transaction (<see cref="InTransactionAsync{T}"/>),
/// with the engine's errors mapped to <see cref="StorageException"/>s.
/// </summary>
internal interface IStorageDatabase
{
    StorageEncryption Encryption { get; }

    Task<T> RunAsync<T>(Func<StorageScope, Task<T>> work, CancellationToken cancellationToken);

    Task<T> InTransactionAsync<T>(Func<StorageScope, Task<T>> work, CancellationToken cancellationToken);
}
