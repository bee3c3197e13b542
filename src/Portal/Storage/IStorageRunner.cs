namespace Portal.Storage;

/// <summary>
/// An engine's database as an engine-neutral store sees it: statements on a <see cref="StorageScope"/> (parameters
/// named <c>@name</c>, which both providers accept), the engine's own error mapping around them, and the dialect for
/// the few statements that differ. A store written once over this needs no per-engine copy.
/// </summary>
internal interface IStorageRunner
{
    StorageDialect Dialect { get; }

    StorageEncryption Encryption { get; }

    /// <summary>One connection; see the engine database's <c>RunAsync</c>.</summary>
    Task<T> RunAsync<T>(Func<StorageScope, Task<T>> work, CancellationToken cancellationToken);

    /// <summary>One transaction (SQLite IMMEDIATE, PostgreSQL READ COMMITTED); see the engine database's <c>InTransactionAsync</c>.</summary>
    Task<T> InTransactionAsync<T>(Func<StorageScope, Task<T>> work, CancellationToken cancellationToken);
}
