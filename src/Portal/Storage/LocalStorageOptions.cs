using Portal.Configuration;

namespace Portal.Storage;

internal sealed class LocalStorageOptions
{
    [ConfigPath]
    public string Path { get; init; } = "";
}
