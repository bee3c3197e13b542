namespace Portal.Crypto;

/// <summary>Authelia's argon2 defaults: argon2id, t=3, m=64 MiB, p=4, 32-byte key, 16-byte salt.</summary>
internal sealed class Argon2Options
{
    public string Variant { get; set; } = "argon2id";
    public int Iterations { get; set; } = 3;
    public int Memory { get; set; } = 65536;
    public int Parallelism { get; set; } = 4;
    public int KeyLength { get; set; } = 32;
    public int SaltLength { get; set; } = 16;
}
