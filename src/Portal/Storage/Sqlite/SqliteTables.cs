namespace Portal.Storage.Sqlite;

/// <summary><see cref="IStorageTables"/> on a SQLite database: SQLite's own values are the neutral ones already.</summary>
internal sealed class SqliteTables(SqliteDatabase database) : StorageTables(database)
{
    // AUTOINCREMENT's counter follows explicit ids by itself, so nothing is needed after a write.
    protected override string RowOrder => "rowid";

    protected override async Task<IReadOnlyList<string>> ListTablesAsync(CancellationToken cancellationToken) =>
        await database.QueryAsync(
            """
            SELECT name FROM sqlite_master
            WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT IN ('migrations', 'encryption');
            """,
            [],
            reader => reader.GetString(0),
            cancellationToken);

    protected override Task<List<(string Name, string Type)>> ColumnsAsync(StorageScope scope, string table, CancellationToken cancellationToken) =>
        scope.QueryAsync(
            $"SELECT name, type FROM pragma_table_info('{Checked(table)}') ORDER BY cid;",
            [],
            reader => (reader.GetString(0), reader.GetString(1)),
            cancellationToken);
}
