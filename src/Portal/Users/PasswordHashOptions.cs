using System.ComponentModel;
using Portal.Configuration;
using Portal.Crypto;

namespace Portal.Users;

internal sealed class PasswordHashOptions
{
    [Description("Algorithm of new hashes.")]
    [ConfigValues("argon2")]
    public string Algorithm { get; init; } = "argon2";
    [Description("Argon2 parameters of new hashes.")]
    public Argon2Options Argon2 { get; init; } = new();
}
