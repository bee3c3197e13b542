namespace Portal.Crypto;

/// <summary>Authelia's argon2 defaults: argon2id, t=3, m=64 MiB, p=4, 32-byte key, 16-byte salt.</summary>
internal sealed class Argon2Options
{
    public string Variant { get; init; } = "argon2id";
    public int Iterations { get; init; } = 3;
    public int Memory { get; init; } = 65536;
    public int Parallelism { get; init; } = 4;
    public int KeyLength { get; init; } = 32;
    public int SaltLength { get; init; } = 16;
}
