using Portal.Crypto;

namespace Portal.Users;

internal sealed class PasswordHashOptions
{
    public string Algorithm { get; init; } = "argon2";
    public Argon2Options Argon2 { get; init; } = new();
}
