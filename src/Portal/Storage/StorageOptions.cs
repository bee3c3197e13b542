namespace Portal.Storage;

internal sealed class StorageOptions
{
    public string EncryptionKey { get; set; } = "";
    public LocalStorageOptions? Local { get; set; }
}
