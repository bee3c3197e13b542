using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Portal.Crypto;

/// <summary>
/// passlib-style PBKDF2, which Authelia (go-crypt) also reads and writes:
/// <c>$pbkdf2-sha512$&lt;iterations&gt;$&lt;salt&gt;$&lt;key&gt;</c> in adapted base64 ('.' instead of '+', no padding).
/// <c>$pbkdf2$</c> means HMAC-SHA1. Verify-only.
/// </summary>
internal sealed class Pbkdf2Digest : PasswordDigest
{
    // Bounds guard against crafted digests; passlib itself caps salts at 1024 bytes.
    private const int MaxIterations = 100_000_000;
    private const int MaxLength = 1024;

    private readonly HashAlgorithmName _hash;
    private readonly byte[] _salt;
    private readonly byte[] _key;

    private Pbkdf2Digest(string algorithm, HashAlgorithmName hash, int iterations, byte[] salt, byte[] key)
    {
        Algorithm = algorithm;
        _hash = hash;
        Iterations = iterations;
        _salt = salt;
        _key = key;
    }

    public override string Algorithm { get; }
    public int Iterations { get; }

    public override bool Matches(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        var passwordBytes = Encoding.UTF8.GetBytes(password);
        try
        {
            var candidate = Rfc2898DeriveBytes.Pbkdf2(passwordBytes, _salt, Iterations, _hash, _key.Length);
            return CryptographicOperations.FixedTimeEquals(candidate, _key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(passwordBytes);
        }
    }

    public static bool TryParse(string encoded, [NotNullWhen(true)] out Pbkdf2Digest? digest, out string error)
    {
        digest = null;
        var parts = encoded.Split('$');
        if (parts.Length != 5 || parts[0].Length != 0)
        {
            error = "pbkdf2 digest must have the form $pbkdf2-sha512$<iterations>$<salt>$<key>";
            return false;
        }
        HashAlgorithmName? hash = parts[1] switch
        {
            "pbkdf2" or "pbkdf2-sha1" => HashAlgorithmName.SHA1,
            "pbkdf2-sha256" => HashAlgorithmName.SHA256,
            "pbkdf2-sha384" => HashAlgorithmName.SHA384,
            "pbkdf2-sha512" => HashAlgorithmName.SHA512,
            _ => null,
        };
        if (hash is null)
        {
            error = $"unknown pbkdf2 variant '{parts[1]}'";
            return false;
        }
        if (!Argon2Digest.TryParsePositive(parts[2], out var iterations) || iterations > MaxIterations)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"pbkdf2 iterations must be a number between 1 and {MaxIterations}");
            return false;
        }
        if (!Base64Codec.TryDecodeAdapted(parts[3], out var salt) || salt.Length is 0 or > MaxLength)
        {
            error = "pbkdf2 salt is not valid adapted base64";
            return false;
        }
        if (!Base64Codec.TryDecodeAdapted(parts[4], out var key) || key.Length is 0 or > MaxLength)
        {
            error = "pbkdf2 key is not valid adapted base64";
            return false;
        }
        digest = new Pbkdf2Digest(parts[1], hash.Value, iterations, salt, key);
        error = "";
        return true;
    }
}
