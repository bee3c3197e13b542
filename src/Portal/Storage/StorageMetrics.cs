using System.Diagnostics.Metrics;

namespace Portal.Storage;

/// <summary>Requests the storage (SQLite, PostgreSQL) failed.</summary>
internal sealed class StorageMetrics
{
    public const string MeterName = "Portal.Storage";

    private readonly Counter<long> _errors;

    public StorageMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _errors = meters.Create(MeterName).CreateCounter<long>("portal_storage_errors",
            description: "Requests the storage failed (answered 503), by kind (unavailable, conflict)");
    }

    public void Failed(StorageException exception) =>
        _errors.Add(1, new KeyValuePair<string, object?>("kind", exception is StorageConflictException ? "conflict" : "unavailable"));
}
