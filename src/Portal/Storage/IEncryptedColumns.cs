namespace Portal.Storage;

/// <summary>
/// A store whose tables hold values encrypted with <c>storage.encryption_key</c> (or derived from it), for
/// <c>portal storage encryption check|change-key</c> (<see cref="StorageDatabase.ReEncryptAsync"/>). Every such
/// store is listed in <see cref="StorageServices.EncryptedStores"/>.
/// </summary>
internal interface IEncryptedColumns
{
    /// <summary>
    /// Decrypts every encrypted value of the store's tables with the database's key and, when
    /// <paramref name="next"/> is given, writes each back under it (and re-derives what is derived from the key), on
    /// <paramref name="scope"/>'s transaction. A value that does not decrypt is counted, not written.
    /// </summary>
    Task<IReadOnlyList<EncryptedValues>> ReEncryptAsync(StorageScope scope, StorageEncryption? next, CancellationToken cancellationToken);
}
