using System.Globalization;

namespace Portal.Storage.Postgres;

/// <summary>
/// <see cref="IStorageTables"/> on a PostgreSQL schema: booleans leave as 0/1 and come back as booleans, integers as
/// the column's width, so rows move unchanged between the engines.
/// </summary>
internal sealed class PostgresTables(PostgresDatabase database) : StorageTables(database)
{
    protected override string RowOrder => "1";

    protected override async Task<IReadOnlyList<string>> ListTablesAsync(CancellationToken cancellationToken) =>
        await database.QueryAsync(
            """
            SELECT table_name FROM information_schema.tables
            WHERE table_schema = @schema AND table_type = 'BASE TABLE' AND table_name NOT IN ('migrations', 'encryption');
            """,
            [("@schema", database.Schema)],
            reader => reader.GetString(0),
            cancellationToken);

    protected override object ToNeutral(object value) => value switch
    {
        bool b => b ? 1L : 0L,
        int n => (long)n,
        var v => v,
    };

    protected override object? ToColumnType(object? value, string type) => value is null ? null : type switch
    {
        "boolean" => Convert.ToInt64(value, CultureInfo.InvariantCulture) != 0,
        "bigint" => Convert.ToInt64(value, CultureInfo.InvariantCulture),
        "integer" => Convert.ToInt32(value, CultureInfo.InvariantCulture),
        _ => value,
    };

    /// <summary>The identity's next value follows the copied ids, so new rows never collide with them.</summary>
    protected override async Task AfterWriteAsync(StorageScope scope, string table, bool hasId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        if (hasId)
        {
            await scope.ScalarAsync(
                $"SELECT setval(pg_get_serial_sequence(@table, 'id'), COALESCE((SELECT MAX(id) FROM \"{Checked(table)}\"), 0) + 1, false);",
                [("@table", table)],
                cancellationToken);
        }
    }

    protected override Task<List<(string Name, string Type)>> ColumnsAsync(StorageScope scope, string table, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return scope.QueryAsync(
            """
            SELECT column_name, data_type FROM information_schema.columns
            WHERE table_schema = @schema AND table_name = @table ORDER BY ordinal_position;
            """,
            [("@schema", database.Schema), ("@table", Checked(table))],
            reader => (reader.GetString(0), reader.GetString(1)),
            cancellationToken);
    }
}
