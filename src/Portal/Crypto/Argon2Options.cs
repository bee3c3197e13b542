using System.ComponentModel;
using Portal.Configuration;
namespace Portal.Crypto;

/// <summary>Authelia's argon2 defaults: argon2id, t=3, m=64 MiB, p=4, 32-byte key, 16-byte salt.</summary>
internal sealed class Argon2Options
{
    [Description("Argon2 variant.")]
    [ConfigValues("argon2id", "argon2i", "argon2d")]
    public string Variant { get; init; } = "argon2id";
    [Description("Passes over memory (t).")]
    public int Iterations { get; init; } = 3;
    [Description("Memory in KiB (m).")]
    public int Memory { get; init; } = 65536;
    [Description("Lanes (p).")]
    public int Parallelism { get; init; } = 4;
    [Description("Hash length in bytes.")]
    public int KeyLength { get; init; } = 32;
    [Description("Salt length in bytes.")]
    public int SaltLength { get; init; } = 16;
}
