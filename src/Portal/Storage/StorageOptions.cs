namespace Portal.Storage;

internal sealed class StorageOptions
{
    public string EncryptionKey { get; init; } = "";
    public LocalStorageOptions? Local { get; init; }
    public PostgresStorageOptions? Postgres { get; init; }
}
