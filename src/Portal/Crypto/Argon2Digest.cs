using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Konscious.Security.Cryptography;

namespace Portal.Crypto;

/// <summary>
/// An argon2 PHC string: <c>$argon2id$v=19$m=65536,t=3,p=4$&lt;salt&gt;$&lt;key&gt;</c> with unpadded standard base64,
/// exactly as Authelia (go-crypt) and the reference <c>argon2</c> CLI write it. The key length comes from the decoded
/// key, so digests with non-default lengths verify.
/// </summary>
internal sealed class Argon2Digest : PasswordDigest
{
    /// <summary>Only version 0x13 (19) is supported: it is what every current implementation writes.</summary>
    public const int Version = 0x13;

    private readonly byte[] _salt;
    private readonly byte[] _key;

    private Argon2Digest(Argon2Variant variant, int iterations, int memoryKiB, int parallelism, byte[] salt, byte[] key)
    {
        Variant = variant;
        Iterations = iterations;
        MemoryKiB = memoryKiB;
        Parallelism = parallelism;
        _salt = salt;
        _key = key;
    }

    public Argon2Variant Variant { get; }
    public int Iterations { get; }
    public int MemoryKiB { get; }
    public int Parallelism { get; }
    public ReadOnlySpan<byte> Salt => _salt;
    public int KeyLength => _key.Length;

    public override string Algorithm => Argon2Parameters.VariantName(Variant);

    /// <summary>The parameters this digest was made with, e.g. to make a dummy digest of the same cost.</summary>
    public Argon2Parameters Parameters => new(Variant, Iterations, MemoryKiB, Parallelism, _key.Length, _salt.Length);

    /// <summary>Hashes <paramref name="password"/> with a fresh random salt.</summary>
    public static Argon2Digest Create(string password, Argon2Parameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var errors = parameters.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("invalid argon2 parameters: " + string.Join("; ", errors), nameof(parameters));
        }
        ArgumentException.ThrowIfNullOrEmpty(password);
        var salt = RandomNumberGenerator.GetBytes(parameters.SaltLength);
        var key = Compute(password, parameters.Variant, parameters.Iterations, parameters.MemoryKiB, parameters.Parallelism, salt, parameters.KeyLength);
        return new Argon2Digest(parameters.Variant, parameters.Iterations, parameters.MemoryKiB, parameters.Parallelism, salt, key);
    }

    public string Encode() => string.Create(
        CultureInfo.InvariantCulture,
        $"${Algorithm}$v={Version}$m={MemoryKiB},t={Iterations},p={Parallelism}${Base64Codec.EncodeUnpadded(_salt)}${Base64Codec.EncodeUnpadded(_key)}");

    public override bool Matches(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (password.Length == 0)
        {
            // Konscious refuses an empty password, so a digest of "" can't be checked; no login accepts one anyway.
            return false;
        }
        var candidate = Compute(password, Variant, Iterations, MemoryKiB, Parallelism, _salt, _key.Length);
        return CryptographicOperations.FixedTimeEquals(candidate, _key);
    }

    public static bool TryParse(string encoded, [NotNullWhen(true)] out Argon2Digest? digest, out string error)
    {
        digest = null;
        // "", "argon2id", "v=19", "m=..,t=..,p=..", salt, key
        var parts = encoded.Split('$');
        if (parts.Length != 6 || parts[0].Length != 0)
        {
            error = parts.Length == 5 && parts[2].StartsWith("m=", StringComparison.Ordinal)
                ? "argon2 digest without a 'v=' field (version 16) is not supported"
                : "argon2 digest must have the form $argon2id$v=19$m=<KiB>,t=<iterations>,p=<parallelism>$<salt>$<key>";
            return false;
        }
        if (!Argon2Parameters.TryParseVariant(parts[1], out var variant) || !parts[1].StartsWith("argon2", StringComparison.Ordinal))
        {
            error = $"unknown argon2 variant '{parts[1]}'";
            return false;
        }
        if (parts[2] != "v=19")
        {
            error = $"argon2 version field '{parts[2]}' is not supported (only v=19)";
            return false;
        }
        int? m = null, t = null, p = null;
        foreach (var pair in parts[3].Split(','))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? pair : pair[..eq];
            if (eq < 0 || !TryParsePositive(pair[(eq + 1)..], out var value))
            {
                error = $"argon2 parameter '{pair}' is not of the form name=<positive integer>";
                return false;
            }
            switch (name)
            {
                case "m" when m is null: m = value; break;
                case "t" when t is null: t = value; break;
                case "p" when p is null: p = value; break;
                default:
                    error = $"argon2 parameter '{name}' is unknown or repeated";
                    return false;
            }
        }
        if (m is null || t is null || p is null)
        {
            error = "argon2 digest must give all of m=, t= and p=";
            return false;
        }
        if (!Base64Codec.TryDecodeUnpadded(parts[4], out var salt))
        {
            error = "argon2 salt is not valid base64";
            return false;
        }
        if (!Base64Codec.TryDecodeUnpadded(parts[5], out var key))
        {
            error = "argon2 key is not valid base64";
            return false;
        }
        var problems = new Argon2Parameters(variant, t.Value, m.Value, p.Value, key.Length, salt.Length).Validate();
        if (problems.Count > 0)
        {
            error = "argon2 digest parameters out of range: " + string.Join("; ", problems);
            return false;
        }
        digest = new Argon2Digest(variant, t.Value, m.Value, p.Value, salt, key);
        error = "";
        return true;
    }

    internal static bool TryParsePositive(string text, out int value)
    {
        value = 0;
        // Digits only: int.TryParse with default styles would also accept signs and surrounding whitespace.
        if (text.Length is 0 or > 10 || !text.All(char.IsAsciiDigit))
        {
            return false;
        }
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value > 0;
    }

    private static byte[] Compute(string password, Argon2Variant variant, int iterations, int memoryKiB, int parallelism, byte[] salt, int keyLength)
    {
        var passwordBytes = Encoding.UTF8.GetBytes(password);
        try
        {
            using Argon2 argon2 = variant switch
            {
                Argon2Variant.Argon2id => new Argon2id(passwordBytes),
                Argon2Variant.Argon2i => new Argon2i(passwordBytes),
                Argon2Variant.Argon2d => new Argon2d(passwordBytes),
                _ => throw new ArgumentOutOfRangeException(nameof(variant)),
            };
            argon2.Salt = salt;
            argon2.Iterations = iterations;
            argon2.MemorySize = memoryKiB;
            argon2.DegreeOfParallelism = parallelism;
            return argon2.GetBytes(keyLength);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(passwordBytes);
            MemoryTrim.AfterLargeAllocation();
        }
    }
}
