namespace Portal.Users;

internal sealed class FileBackendOptions
{
    public string Path { get; set; } = "";
    public bool Watch { get; set; }
    public FileSearchOptions Search { get; set; } = new();
    public PasswordHashOptions Password { get; set; } = new();
}
