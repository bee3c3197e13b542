using Npgsql;

namespace Portal.Storage.Postgres;

/// <summary>Where Npgsql's errors become the engine-neutral <see cref="StorageException"/> family.</summary>
internal static class PostgresErrors
{
    /// <summary>Class 23, integrity constraint violation (unique, foreign key, check, not null).</summary>
    public static bool IsConstraint(NpgsqlException e) =>
        e is PostgresException { SqlState: [ '2', '3', ..] };

    /// <summary>
    /// A constraint the store did not answer itself is a <see cref="StorageConflictException"/>; anything else
    /// (refused or broken connection, timeout, statement cancelled, server shutting down, ...) means the database
    /// cannot serve now.
    /// </summary>
    public static StorageException ToStorageException(NpgsqlException e, string where)
    {
        ArgumentNullException.ThrowIfNull(e);
        return IsConstraint(e)
            ? new StorageConflictException($"storage: a write to the PostgreSQL database {where} broke a constraint: {e.Message}", e)
            : new StorageUnavailableException($"storage: the PostgreSQL database {where} is unavailable: {e.Message}", e);
    }
}
