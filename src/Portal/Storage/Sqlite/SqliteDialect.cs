using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Portal.Storage.Sqlite;

/// <summary>The SQLite engine's <see cref="StorageDialect"/>.</summary>
internal sealed class SqliteDialect : StorageDialect
{
    /// <summary>SQLITE_CONSTRAINT: a UNIQUE, NOT NULL, CHECK or foreign key constraint refused the write.</summary>
    public const int Constraint = 19;

    public static readonly SqliteDialect Instance = new();

    private SqliteDialect()
    {
    }

    public override string Name => "SQLite";

    public override string BytesType => "BLOB";

    /// <summary>
    /// Nothing to take: <see cref="SqliteDatabase"/> begins every transaction IMMEDIATE, which holds the whole file's
    /// write lock already.
    /// </summary>
    public override Task LockAsync(StorageScope scope, string name, string key, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    /// <summary>Busy past the timeout, I/O error, not a database, damaged, full, ... are not constraints.</summary>
    public override bool IsConstraint(DbException e) => e is SqliteException { SqliteErrorCode: Constraint };
}
