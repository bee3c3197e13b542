using Microsoft.Data.Sqlite;

namespace Portal.Storage.Sqlite;

/// <summary>Where SQLite's errors become the engine-neutral <see cref="StorageException"/> family.</summary>
internal static class SqliteErrors
{
    /// <summary>SQLITE_CONSTRAINT: a UNIQUE, NOT NULL, CHECK or foreign key constraint refused the write.</summary>
    public const int Constraint = 19;

    public static bool IsConstraint(SqliteException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.SqliteErrorCode == Constraint;
    }

    /// <summary>
    /// A constraint the store did not answer itself is a <see cref="StorageConflictException"/>; anything else
    /// (busy past the timeout, I/O error, not a database, damaged, full, ...) means the database cannot serve now.
    /// </summary>
    public static StorageException ToStorageException(SqliteException e, string path)
    {
        ArgumentNullException.ThrowIfNull(e);
        return IsConstraint(e)
            ? new StorageConflictException($"storage: a write to the SQLite database '{path}' broke a constraint: {e.Message}", e)
            : new StorageUnavailableException($"storage: the SQLite database '{path}' is unavailable: {e.Message}", e);
    }
}
