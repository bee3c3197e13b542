using System.Globalization;

namespace Portal.Storage;

/// <summary>
/// <see cref="IStorageTables"/> on any engine: the rows move as the engines' neutral values (integers as long,
/// booleans as 0/1, text, bytes), and each engine's subclass reads its own catalogue and converts to and from its
/// column types.
/// </summary>
internal abstract class StorageTables(StorageDatabase database) : IStorageTables
{
    public string Where => database.Where;

    /// <summary>How the rows of a table are read: in insertion order, which the ids follow.</summary>
    protected abstract string RowOrder { get; }

    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken) =>
        (await ListTablesAsync(cancellationToken)).Order(StringComparer.Ordinal).ToList();

    public async Task<long> CountAsync(string table, CancellationToken cancellationToken) =>
        Convert.ToInt64(await database.ScalarAsync($"SELECT COUNT(*) FROM \"{Checked(table)}\";", [], cancellationToken), CultureInfo.InvariantCulture);

    public Task<StorageTable> ReadAsync(string table, CancellationToken cancellationToken) =>
        database.RunAsync(async scope =>
        {
            var columns = (await ColumnsAsync(scope, Checked(table), cancellationToken)).Select(c => c.Name).ToList();
            var rows = await scope.QueryAsync(
                $"SELECT {string.Join(", ", columns.Select(c => $"\"{Checked(c)}\""))} FROM \"{Checked(table)}\" ORDER BY {RowOrder};",
                [],
                reader =>
                {
                    var row = new object?[reader.FieldCount];
                    for (var i = 0; i < row.Length; i++)
                    {
                        row[i] = reader.IsDBNull(i) ? null : ToNeutral(reader.GetValue(i));
                    }
                    return row;
                },
                cancellationToken);
            return new StorageTable(table, columns, rows);
        }, cancellationToken);

    public Task WriteAsync(IReadOnlyList<StorageTable> tables, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tables);
        return database.InTransactionAsync(async scope =>
        {
            foreach (var table in tables)
            {
                var types = (await ColumnsAsync(scope, Checked(table.Name), cancellationToken)).ToDictionary(c => c.Name, c => c.Type, StringComparer.Ordinal);
                if (!types.Keys.Order(StringComparer.Ordinal).SequenceEqual(table.Columns.Order(StringComparer.Ordinal), StringComparer.Ordinal))
                {
                    throw new StorageException(
                        $"storage: table {table.Name} has columns ({string.Join(", ", table.Columns)}) in the source but " +
                        $"({string.Join(", ", types.Keys)}) in {Where}");
                }
                var names = table.Columns.Select((_, i) => string.Create(CultureInfo.InvariantCulture, $"@p{i}")).ToList();
                var sql = $"INSERT INTO \"{Checked(table.Name)}\" ({string.Join(", ", table.Columns.Select(c => $"\"{Checked(c)}\""))}) VALUES ({string.Join(", ", names)});";
                foreach (var row in table.Rows)
                {
                    await scope.ExecuteAsync(sql, [.. names.Select((n, i) => (n, ToColumnType(row[i], types[table.Columns[i]])))], cancellationToken);
                }
                await AfterWriteAsync(scope, table.Name, types.ContainsKey("id"), cancellationToken);
            }
            return 0;
        }, cancellationToken);
    }

    /// <summary>The data tables, in any order; not <c>migrations</c> or <c>encryption</c>, each database's own.</summary>
    protected abstract Task<IReadOnlyList<string>> ListTablesAsync(CancellationToken cancellationToken);

    /// <summary>The table's columns in their order, each with its type as the catalogue names it.</summary>
    protected abstract Task<List<(string Name, string Type)>> ColumnsAsync(StorageScope scope, string table, CancellationToken cancellationToken);

    /// <summary>A value read from this engine as the neutral value the copy carries.</summary>
    protected virtual object ToNeutral(object value) => value;

    /// <summary>A neutral value as this engine's column of <paramref name="type"/> takes it.</summary>
    protected virtual object? ToColumnType(object? value, string type) => value;

    /// <summary>Whatever the engine needs after a table's rows went in with their ids.</summary>
    protected virtual Task AfterWriteAsync(StorageScope scope, string table, bool hasId, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    /// <summary>Names come from the databases' own catalogues; refuse anything that would need quoting anyway.</summary>
    protected static string Checked(string name) =>
        name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') ? name : throw new StorageException($"storage: unexpected table or column name '{name}'");
}
