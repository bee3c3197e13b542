using System.Data.Common;

namespace Portal.Storage;

/// <summary>
/// The connection, and inside <see cref="StorageDatabase.InTransactionAsync{T}"/> the transaction, that one store call runs
/// its statements on, whatever the engine (ADO.NET). A statement is its SQL and its named parameters
/// (<c>("@name", value)</c>, which every engine reads); a null value is sent as NULL. Errors are mapped by the
/// <see cref="StorageDatabase"/> around the whole call, not here.
/// </summary>
internal sealed class StorageScope(DbConnection connection, DbTransaction? transaction)
{
    /// <summary>Statements that completed on this scope: none means the server has done nothing for this call yet.</summary>
    public int Completed { get; private set; }

    /// <returns>the number of rows changed</returns>
    public async Task<int> ExecuteAsync(string sql, (string Name, object? Value)[] parameters, CancellationToken cancellationToken)
    {
        await using var command = Command(sql, parameters);
        var changed = await command.ExecuteNonQueryAsync(cancellationToken);
        Completed++;
        return changed;
    }

    /// <returns>the first column of the first row; null when there is no row, <see cref="DBNull"/> for NULL</returns>
    public async Task<object?> ScalarAsync(string sql, (string Name, object? Value)[] parameters, CancellationToken cancellationToken)
    {
        await using var command = Command(sql, parameters);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        Completed++;
        return value;
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
        Completed++;
        return rows;
    }

    private DbCommand Command(string sql, (string Name, object? Value)[] parameters) =>
        Command(connection, transaction, sql, parameters);

    /// <summary>A command for <paramref name="sql"/> with its parameters, on the connection and transaction given.</summary>
    internal static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(parameters);
        var command = connection.CreateCommand();
        // SQLite's provider refuses a command without the connection's pending transaction; the others accept it.
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        return command;
    }
}
