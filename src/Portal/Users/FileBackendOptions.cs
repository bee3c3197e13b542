using System.ComponentModel;
using Portal.Configuration;

namespace Portal.Users;

internal sealed class FileBackendOptions
{
    [ConfigPath]
    [Description("The users database, in Authelia's users_database.yml format. Required.")]
    public string Path { get; init; } = "";
    [Description("Reload the file when it changes.")]
    public bool Watch { get; init; }
    [Description("How a sign-in name is looked up.")]
    public FileSearchOptions Search { get; init; } = new();
    [Description("Parameters for new hashes (portal crypto hash generate); existing argon2, sha-crypt and pbkdf2 hashes all verify.")]
    public PasswordHashOptions Password { get; init; } = new();
}
