namespace Portal.Storage;

/// <summary>
/// Every table of one engine's database at once, for <c>portal storage copy</c> (the one reader that is not a table's
/// store: it moves rows unchanged, never interprets them). The <c>migrations</c> and <c>encryption</c> tables are
/// each database's own and are not listed.
/// </summary>
internal interface IStorageTables
{
    string Where { get; }

    /// <summary>The data tables, sorted by name.</summary>
    Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken);

    Task<long> CountAsync(string table, CancellationToken cancellationToken);

    Task<StorageTable> ReadAsync(string table, CancellationToken cancellationToken);

    /// <summary>Inserts every row of every table, ids included, in one transaction; the next generated id follows the copied ones.</summary>
    Task WriteAsync(IReadOnlyList<StorageTable> tables, CancellationToken cancellationToken);
}
