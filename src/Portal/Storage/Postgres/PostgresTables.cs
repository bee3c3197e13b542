using System.Globalization;

namespace Portal.Storage.Postgres;

/// <summary>
/// <see cref="IStorageTables"/> on a PostgreSQL schema: booleans leave as 0/1 and come back as booleans, integers as
/// the column's width, so rows move unchanged between the engines.
/// </summary>
internal sealed class PostgresTables(PostgresDatabase database) : IStorageTables
{
    public string Where => database.Where;

    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken) =>
        (await database.QueryAsync(
            """
            SELECT table_name FROM information_schema.tables
            WHERE table_schema = @schema AND table_type = 'BASE TABLE' AND table_name NOT IN ('migrations', 'encryption');
            """,
            [("@schema", database.Schema)],
            reader => reader.GetString(0),
            cancellationToken)).Order(StringComparer.Ordinal).ToList();

    public async Task<long> CountAsync(string table, CancellationToken cancellationToken) =>
        Convert.ToInt64(await database.ScalarAsync($"SELECT COUNT(*) FROM \"{Checked(table)}\";", [], cancellationToken), CultureInfo.InvariantCulture);

    public Task<StorageTable> ReadAsync(string table, CancellationToken cancellationToken) =>
        database.RunAsync(async scope =>
        {
            var columns = (await ColumnsAsync(scope, table, cancellationToken)).Select(c => c.Name).ToList();
            var rows = await scope.QueryAsync(
                $"SELECT {string.Join(", ", columns.Select(c => $"\"{c}\""))} FROM \"{Checked(table)}\" ORDER BY 1;",
                [],
                reader =>
                {
                    var row = new object?[reader.FieldCount];
                    for (var i = 0; i < row.Length; i++)
                    {
                        row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i) switch
                        {
                            bool b => b ? 1L : 0L,
                            int n => (long)n,
                            var v => v,
                        };
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
                var types = (await ColumnsAsync(scope, table.Name, cancellationToken)).ToDictionary(c => c.Name, c => c.Type, StringComparer.Ordinal);
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
                if (types.ContainsKey("id"))
                {
                    // The identity's next value follows the copied ids, so new rows never collide with them.
                    await scope.ScalarAsync(
                        $"SELECT setval(pg_get_serial_sequence(@table, 'id'), COALESCE((SELECT MAX(id) FROM \"{table.Name}\"), 0) + 1, false);",
                        [("@table", table.Name)],
                        cancellationToken);
                }
            }
            return 0;
        }, cancellationToken);
    }

    private static object? ToColumnType(object? value, string type) => value is null ? null : type switch
    {
        "boolean" => System.Convert.ToInt64(value, CultureInfo.InvariantCulture) != 0,
        "bigint" => System.Convert.ToInt64(value, CultureInfo.InvariantCulture),
        "integer" => System.Convert.ToInt32(value, CultureInfo.InvariantCulture),
        _ => value,
    };

    private async Task<List<(string Name, string Type)>> ColumnsAsync(StorageScope scope, string table, CancellationToken cancellationToken) =>
        await scope.QueryAsync(
            """
            SELECT column_name, data_type FROM information_schema.columns
            WHERE table_schema = @schema AND table_name = @table ORDER BY ordinal_position;
            """,
            [("@schema", database.Schema), ("@table", Checked(table))],
            reader => (reader.GetString(0), reader.GetString(1)),
            cancellationToken);

    /// <summary>Names come from the databases' own catalogues; refuse anything that would need quoting anyway.</summary>
    private static string Checked(string name) =>
        name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') ? name : throw new StorageException($"storage: unexpected table or column name '{name}'");
}
