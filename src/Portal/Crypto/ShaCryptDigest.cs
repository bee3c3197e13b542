using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Portal.Crypto;

/// <summary>
/// SHA-crypt (Ulrich Drepper's "Unix crypt using SHA-256 and SHA-512"): <c>$5$</c> / <c>$6$</c>, optional
/// <c>rounds=N$</c>, a salt of up to 16 characters and the crypt-base64 hash. Verify-only: these come from users files
/// migrated from Authelia or /etc/shadow, and new digests are argon2.
/// </summary>
internal sealed class ShaCryptDigest : PasswordDigest
{
    public const int DefaultRounds = 5000;
    public const int MinRounds = 1000;
    public const int MaxRounds = 999_999_999;
    private const int MaxSaltLength = 16;
    private const string Alphabet = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    // The spec scatters the hash bytes over the output in this order, three bytes per four characters; the last
    // group is shorter. Each triple is (high, middle, low) as fed to the 24-bit encoder.
    private static readonly int[][] Sha512Order =
    [
        [0, 21, 42], [22, 43, 1], [44, 2, 23], [3, 24, 45], [25, 46, 4], [47, 5, 26], [6, 27, 48], [28, 49, 7],
        [50, 8, 29], [9, 30, 51], [31, 52, 10], [53, 11, 32], [12, 33, 54], [34, 55, 13], [56, 14, 35], [15, 36, 57],
        [37, 58, 16], [59, 17, 38], [18, 39, 60], [40, 61, 19], [62, 20, 41],
    ];

    private static readonly int[][] Sha256Order =
    [
        [0, 10, 20], [21, 1, 11], [12, 22, 2], [3, 13, 23], [24, 4, 14], [15, 25, 5], [6, 16, 26], [27, 7, 17],
        [18, 28, 8], [9, 19, 29],
    ];

    private readonly bool _sha512;
    private readonly byte[] _salt;
    private readonly byte[] _expected;

    private ShaCryptDigest(bool sha512, int rounds, byte[] salt, byte[] expected)
    {
        _sha512 = sha512;
        Rounds = rounds;
        _salt = salt;
        _expected = expected;
    }

    public int Rounds { get; }

    public override string Algorithm => _sha512 ? "sha512crypt" : "sha256crypt";

    public override bool Matches(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        var actual = Encoding.ASCII.GetBytes(ComputeEncoded(_sha512, Encoding.UTF8.GetBytes(password), _salt, Rounds));
        return CryptographicOperations.FixedTimeEquals(actual, _expected);
    }

    public static bool TryParse(string encoded, [NotNullWhen(true)] out ShaCryptDigest? digest, out string error)
    {
        digest = null;
        var sha512 = encoded.StartsWith("$6$", StringComparison.Ordinal);
        if (!sha512 && !encoded.StartsWith("$5$", StringComparison.Ordinal))
        {
            error = "sha-crypt digest must start with $5$ or $6$";
            return false;
        }
        var rest = encoded[3..];
        var rounds = DefaultRounds;
        const string roundsPrefix = "rounds=";
        if (rest.StartsWith(roundsPrefix, StringComparison.Ordinal))
        {
            var end = rest.IndexOf('$', StringComparison.Ordinal);
            var text = end < 0 ? "" : rest[roundsPrefix.Length..end];
            // libxcrypt refuses out-of-range rounds rather than clamping them (as old glibc did); so do we, since a
            // digest that one reference implementation rejects is more likely a typo than a real hash.
            if (!Argon2Digest.TryParsePositive(text, out rounds) || rounds is < MinRounds or > MaxRounds)
            {
                error = string.Create(CultureInfo.InvariantCulture, $"sha-crypt 'rounds=' must be a number between {MinRounds} and {MaxRounds} followed by '$'");
                return false;
            }
            rest = rest[(end + 1)..];
        }
        var parts = rest.Split('$');
        if (parts.Length != 2)
        {
            error = "sha-crypt digest must have the form $6$[rounds=N$]<salt>$<hash>";
            return false;
        }
        var (salt, hash) = (parts[0], parts[1]);
        if (salt.Length > MaxSaltLength)
        {
            error = "sha-crypt salt is longer than 16 characters";
            return false;
        }
        if (hash.Length != (sha512 ? 86 : 43) || !hash.All(c => Alphabet.Contains(c, StringComparison.Ordinal)))
        {
            error = $"sha-crypt hash must be {(sha512 ? 86 : 43)} characters of [./0-9A-Za-z]";
            return false;
        }
        digest = new ShaCryptDigest(sha512, rounds, Encoding.UTF8.GetBytes(salt), Encoding.ASCII.GetBytes(hash));
        error = "";
        return true;
    }

    /// <summary>The hash part (after the salt) that crypt(3) would print for these inputs.</summary>
    internal static string ComputeEncoded(bool sha512, byte[] password, byte[] salt, int rounds)
    {
        var algorithm = sha512 ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256;
        try
        {
            using var h = IncrementalHash.CreateHash(algorithm);

            // B = H(P S P)
            h.AppendData(password);
            h.AppendData(salt);
            h.AppendData(password);
            var b = h.GetHashAndReset();

            // A = H(P S B-repeated-to-|P| then, per bit of |P| from the lowest, B for 1 and P for 0)
            h.AppendData(password);
            h.AppendData(salt);
            AppendRepeated(h, b, password.Length);
            for (var n = password.Length; n > 0; n >>= 1)
            {
                h.AppendData((n & 1) != 0 ? b : password);
            }
            var c = h.GetHashAndReset();

            // P' = H(P repeated |P| times), stretched or cut to |P|
            for (var i = 0; i < password.Length; i++)
            {
                h.AppendData(password);
            }
            var pBytes = Stretch(h.GetHashAndReset(), password.Length);

            // S' = H(S repeated 16 + A[0] times), stretched or cut to |S|
            for (var i = 0; i < 16 + c[0]; i++)
            {
                h.AppendData(salt);
            }
            var sBytes = Stretch(h.GetHashAndReset(), salt.Length);

            for (var round = 0; round < rounds; round++)
            {
                var odd = (round & 1) != 0;
                h.AppendData(odd ? pBytes : c);
                if (round % 3 != 0)
                {
                    h.AppendData(sBytes);
                }
                if (round % 7 != 0)
                {
                    h.AppendData(pBytes);
                }
                h.AppendData(odd ? c : pBytes);
                c = h.GetHashAndReset();
            }

            var output = new StringBuilder(sha512 ? 86 : 43);
            foreach (var group in sha512 ? Sha512Order : Sha256Order)
            {
                Encode24(output, c[group[0]], c[group[1]], c[group[2]], 4);
            }
            if (sha512)
            {
                Encode24(output, 0, 0, c[63], 2);
            }
            else
            {
                Encode24(output, 0, c[31], c[30], 3);
            }
            return output.ToString();
        }
        finally
        {
            CryptographicOperations.ZeroMemory(password);
        }
    }

    private static void AppendRepeated(IncrementalHash h, byte[] block, int length)
    {
        var n = length;
        for (; n > block.Length; n -= block.Length)
        {
            h.AppendData(block);
        }
        h.AppendData(block, 0, n);
    }

    private static byte[] Stretch(byte[] block, int length)
    {
        var result = new byte[length];
        for (var i = 0; i < length; i++)
        {
            result[i] = block[i % block.Length];
        }
        return result;
    }

    private static void Encode24(StringBuilder output, byte high, byte middle, byte low, int chars)
    {
        var w = (high << 16) | (middle << 8) | low;
        for (var i = 0; i < chars; i++)
        {
            output.Append(Alphabet[w & 0x3f]);
            w >>= 6;
        }
    }
}
