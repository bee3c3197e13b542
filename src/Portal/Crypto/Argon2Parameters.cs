using System.Globalization;

namespace Portal.Crypto;

/// <summary>
/// Cost and size settings for new argon2 digests. Memory is in KiB, as in the PHC string's <c>m=</c> and in
/// Authelia's configuration.
/// </summary>
internal sealed record Argon2Parameters(
    Argon2Variant Variant = Argon2Variant.Argon2id,
    int Iterations = 3,
    int MemoryKiB = 65536,
    int Parallelism = 4,
    int KeyLength = 32,
    int SaltLength = 16)
{
    // Upper bounds keep a crafted digest (e.g. pasted into `crypto hash validate`) from asking for terabytes of RAM
    // or years of CPU; they are far above anything a login page could afford anyway.
    public const int MaxMemoryKiB = 4 * 1024 * 1024;
    public const int MaxIterations = 1024;
    public const int MaxParallelism = 1024;
    public const int MinKeyLength = 4;
    public const int MaxKeyLength = 1024;
    public const int MinSaltLength = 8;
    public const int MaxSaltLength = 1024;

    /// <summary>Authelia's defaults: argon2id, t=3, m=65536, p=4, 32-byte key, 16-byte salt.</summary>
    public static Argon2Parameters Default { get; } = new();

    public static Argon2Parameters FromOptions(Argon2Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var variant = TryParseVariant(options.Variant, out var v) ? v : (Argon2Variant)(-1);
        return new Argon2Parameters(variant, options.Iterations, options.Memory, options.Parallelism, options.KeyLength, options.SaltLength);
    }

    /// <summary>Accepts Authelia's names (<c>argon2id</c>) and the short forms (<c>id</c>).</summary>
    public static bool TryParseVariant(string? name, out Argon2Variant variant)
    {
        switch (name?.Trim().ToLowerInvariant())
        {
            case "argon2id" or "id":
                variant = Argon2Variant.Argon2id;
                return true;
            case "argon2i" or "i":
                variant = Argon2Variant.Argon2i;
                return true;
            case "argon2d" or "d":
                variant = Argon2Variant.Argon2d;
                return true;
            default:
                variant = default;
                return false;
        }
    }

    public static string VariantName(Argon2Variant variant) => variant switch
    {
        Argon2Variant.Argon2id => "argon2id",
        Argon2Variant.Argon2i => "argon2i",
        Argon2Variant.Argon2d => "argon2d",
        _ => throw new ArgumentOutOfRangeException(nameof(variant)),
    };

    /// <summary>Every problem with these settings, in the wording config validation prints; empty when usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!Enum.IsDefined(Variant))
        {
            errors.Add("option 'variant' must be one of 'argon2id', 'argon2i', 'argon2d'");
        }
        Check(errors, "iterations", Iterations, 1, MaxIterations);
        Check(errors, "parallelism", Parallelism, 1, MaxParallelism);
        // argon2 needs at least 8 KiB per lane (RFC 9106 §3.1).
        Check(errors, "memory", MemoryKiB, Math.Max(8, 8 * Math.Max(Parallelism, 1)), MaxMemoryKiB);
        Check(errors, "key_length", KeyLength, MinKeyLength, MaxKeyLength);
        Check(errors, "salt_length", SaltLength, MinSaltLength, MaxSaltLength);
        return errors;
    }

    private static void Check(List<string> errors, string name, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"option '{name}' must be between {min} and {max} but it is {value}"));
        }
    }
}
