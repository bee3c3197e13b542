namespace Portal.Storage;

internal sealed class LocalStorageOptions
{
    public string Path { get; set; } = "";
}
