using System.Globalization;

namespace Portal.Storage.Sqlite;

/// <summary><see cref="IStorageTables"/> on a SQLite database: SQLite's own values are the neutral ones already.</summary>
internal sealed class SqliteTables(SqliteDatabase database) : IStorageTables
{
    public string Where => $"'{database.Path}'";

    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken) =>
        await database.QueryAsync(
            """
            SELECT name FROM sqlite_master
            WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT IN ('migrations', 'encryption')
            ORDER BY name;
            """,
            [],
            reader => reader.GetString(0),
            cancellationToken);

    public async Task<long> CountAsync(string table, CancellationToken cancellationToken) =>
        Convert.ToInt64(await database.ScalarAsync($"SELECT COUNT(*) FROM \"{Checked(table)}\";", [], cancellationToken), CultureInfo.InvariantCulture);

    public Task<StorageTable> ReadAsync(string table, CancellationToken cancellationToken) =>
        database.RunAsync(async scope =>
        {
            var columns = await scope.QueryAsync($"SELECT name FROM pragma_table_info('{Checked(table)}') ORDER BY cid;", [], r => r.GetString(0), cancellationToken);
            var rows = await scope.QueryAsync(
                $"SELECT {string.Join(", ", columns.Select(c => $"\"{c}\""))} FROM \"{Checked(table)}\" ORDER BY rowid;",
                [],
                reader =>
                {
                    var row = new object?[reader.FieldCount];
                    for (var i = 0; i < row.Length; i++)
                    {
                        row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
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
                var names = table.Columns.Select((_, i) => string.Create(CultureInfo.InvariantCulture, $"$p{i}")).ToList();
                var sql = $"INSERT INTO \"{Checked(table.Name)}\" ({string.Join(", ", table.Columns.Select(c => $"\"{Checked(c)}\""))}) VALUES ({string.Join(", ", names)});";
                foreach (var row in table.Rows)
                {
                    await scope.ExecuteAsync(sql, [.. names.Select((n, i) => (n, row[i]))], cancellationToken);
                }
            }
            // AUTOINCREMENT's counter follows explicit ids by itself.
            return 0;
        }, cancellationToken);
    }

    /// <summary>Names come from the databases' own catalogues; refuse anything that would need quoting anyway.</summary>
    private static string Checked(string name) =>
        name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') ? name : throw new StorageException($"storage: unexpected table or column name '{name}'");
}
