namespace Portal.Configuration;

internal sealed class StorageOptions
{
    public string EncryptionKey { get; set; } = "";
    public LocalStorageOptions? Local { get; set; }
    public PostgresStorageOptions? Postgres { get; set; }
}
