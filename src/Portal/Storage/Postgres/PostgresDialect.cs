using System.Data.Common;
using Npgsql;

namespace Portal.Storage.Postgres;

/// <summary>The PostgreSQL engine's <see cref="StorageDialect"/>.</summary>
internal sealed class PostgresDialect : StorageDialect
{
    public static readonly PostgresDialect Instance = new();

    private PostgresDialect()
    {
    }

    public override string Name => "PostgreSQL";

    public override string BytesType => "bytea";

    /// <summary>
    /// A transaction-scoped advisory lock on the two names' hashes: it serialises the holders on every node and is
    /// released at commit or rollback. The ids are those the stores took before they were shared by the engines, so
    /// nodes of both versions exclude each other during a rolling upgrade.
    /// </summary>
    public override Task LockAsync(StorageScope scope, string name, string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return scope.ExecuteAsync("SELECT pg_advisory_xact_lock(hashtext(@name), hashtext(@key));", [("@name", name), ("@key", key)], cancellationToken);
    }

    /// <summary>
    /// Class 23, integrity constraint violation (unique, foreign key, check, not null); a refused or broken
    /// connection, timeout, cancelled statement or server shutting down is not.
    /// </summary>
    public override bool IsConstraint(DbException e) => e is PostgresException { SqlState: ['2', '3', ..] };

    /// <summary>
    /// No answer from the server, or its class 08 (connection exception) or 57 (operator intervention: shutdown,
    /// crash, restart) errors; a cancelled statement (57014, the statement timeout) leaves the connection usable.
    /// </summary>
    internal static bool ConnectionLost(NpgsqlException e) =>
        e is not PostgresException postgres
        || postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
        || (postgres.SqlState.StartsWith("57", StringComparison.Ordinal) && postgres.SqlState != PostgresErrorCodes.QueryCanceled);

}
