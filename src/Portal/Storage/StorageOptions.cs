using System.ComponentModel;
namespace Portal.Storage;

internal sealed class StorageOptions
{
    [Description("Encrypts secrets in the database; at least 20 characters. Empty with 'local': generated on first start and kept next to the database (<path>.key). Prefer PORTAL_STORAGE_ENCRYPTION_KEY_FILE.")]
    public string EncryptionKey { get; init; } = "";
    [Description("SQLite in one file, for a single node.")]
    public LocalStorageOptions? Local { get; init; }
    [Description("PostgreSQL, shared by several portal nodes (each given the same encryption_key).")]
    public PostgresStorageOptions? Postgres { get; init; }
}
