using Portal.Configuration;

namespace Portal.Users;

internal sealed class FileBackendOptions
{
    [ConfigPath]
    public string Path { get; init; } = "";
    public bool Watch { get; init; }
    public FileSearchOptions Search { get; init; } = new();
    public PasswordHashOptions Password { get; init; } = new();
}
