using System.Globalization;

namespace Portal.Storage;

/// <summary>
/// <c>portal storage copy</c>: every data table from one database into another, empty one of the same schema version
/// (both opened, so both migrated to this build's schema and both proven to hold the configured encryption key;
/// secret columns are copied as ciphertext). All or nothing: the target is written in one transaction.
/// </summary>
internal static class StorageCopy
{
    /// <returns>each table and how many rows were copied</returns>
    /// <exception cref="StorageException">The target is not empty, or the two schemas differ.</exception>
    public static async Task<IReadOnlyList<(string Table, int Rows)>> CopyAsync(IStorageTables from, IStorageTables to, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        var tables = await from.ListAsync(cancellationToken);
        var targetTables = await to.ListAsync(cancellationToken);
        if (!tables.SequenceEqual(targetTables, StringComparer.Ordinal))
        {
            throw new StorageException(
                $"storage: the two databases have different tables ({string.Join(", ", tables)} in {from.Where}; " +
                $"{string.Join(", ", targetTables)} in {to.Where}); run the same portal version against both");
        }
        foreach (var table in tables)
        {
            var count = await to.CountAsync(table, cancellationToken);
            if (count > 0)
            {
                throw new StorageException(string.Create(CultureInfo.InvariantCulture,
                    $"storage: {to.Where} already holds data ({count} rows in {table}); copy only into an empty database"));
            }
        }
        var read = new List<StorageTable>();
        foreach (var table in tables)
        {
            read.Add(await from.ReadAsync(table, cancellationToken));
        }
        await to.WriteAsync(read, cancellationToken);
        return read.Select(t => (t.Name, t.Rows.Count)).ToList();
    }
}
