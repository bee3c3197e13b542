using System.Data.Common;

namespace Portal.Storage;

/// <summary>
/// What the stores in <c>Storage/Stores</c> need to know about the engine they run on, and nothing else: the few SQL
/// pieces that really differ, the lock a store takes before it reads and then writes, and how the engine's errors
/// become <see cref="StorageException"/>s. Everything else (parameters named <c>@name</c>, <c>ON CONFLICT … DO
/// NOTHING</c>, <c>RETURNING</c>, <c>TRUE</c>/<c>FALSE</c>, times as Unix milliseconds) is SQL both engines read alike.
/// One subclass per engine, in the engine's folder.
/// </summary>
internal abstract class StorageDialect
{
    /// <summary>The engine's name in messages ("SQLite", "PostgreSQL").</summary>
    public abstract string Name { get; }

    /// <summary>
    /// The SQL type of a byte column, for <c>CAST(@p AS …)</c> where a parameter may be NULL and the engine would
    /// otherwise not know its type.
    /// </summary>
    public abstract string BytesType { get; }

    /// <summary>
    /// Holds the lock named <paramref name="name"/> and <paramref name="key"/> (e.g. one user's credentials) for the
    /// rest of the scope's transaction, so a read and the write that depends on it see one state even with another
    /// node writing. Only inside <see cref="StorageDatabase.InTransactionAsync{T}"/>.
    /// </summary>
    public abstract Task LockAsync(StorageScope scope, string name, string key, CancellationToken cancellationToken);

    /// <summary>The engine refused a write for a UNIQUE, NOT NULL, CHECK or foreign key constraint.</summary>
    public abstract bool IsConstraint(DbException e);

    /// <summary>
    /// A constraint the store did not answer itself is a <see cref="StorageConflictException"/>; anything else
    /// means the database cannot serve now (<see cref="StorageUnavailableException"/>).
    /// </summary>
    /// <param name="where">how messages name the database</param>
    public StorageException ToStorageException(DbException e, string where)
    {
        ArgumentNullException.ThrowIfNull(e);
        return IsConstraint(e)
            ? new StorageConflictException($"storage: a write to the {Name} database {where} broke a constraint: {e.Message}", e)
            : new StorageUnavailableException($"storage: the {Name} database {where} is unavailable: {e.Message}", e);
    }
}
