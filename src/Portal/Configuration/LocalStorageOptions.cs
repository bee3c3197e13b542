namespace Portal.Configuration;

internal sealed class LocalStorageOptions
{
    public string Path { get; set; } = "";
}
