using System.Data.Common;
using Npgsql;

namespace Portal.Storage.Postgres;

/// <summary>
/// The connection, and inside <see cref="PostgresDatabase.InTransactionAsync{T}"/> the transaction, that one store call
/// runs its statements on. A statement is one SQL statement and its named parameters (<c>("@name", value)</c>); a
/// null value is sent as NULL. Errors are mapped by <see cref="PostgresDatabase"/> around the whole call, not here.
/// </summary>
internal sealed class PostgresScope(NpgsqlConnection connection, NpgsqlTransaction? transaction)
{
    /// <returns>the number of rows changed</returns>
    public async Task<int> ExecuteAsync(string sql, (string Name, object? Value)[] parameters, CancellationToken cancellationToken)
    {
        await using var command = Command(sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <returns>the first column of the first row; null when there is no row, <see cref="DBNull"/> for NULL</returns>
    public async Task<object?> ScalarAsync(string sql, (string Name, object? Value)[] parameters, CancellationToken cancellationToken)
    {
        await using var command = Command(sql, parameters);
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    /// <returns>every row, read by <paramref name="read"/>, in the order the query gives</returns>
    public async Task<List<T>> QueryAsync<T>(
        string sql, (string Name, object? Value)[] parameters, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        await using var command = Command(sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }
        return rows;
    }

    private NpgsqlCommand Command(string sql, (string Name, object? Value)[] parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        return command;
    }
}
