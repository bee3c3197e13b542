using Portal.Crypto;

namespace Portal.RecoveryCodes;

/// <summary>
/// A recovery code: 10 characters from an alphabet without look-alikes (no 0/O, 1/I/L, U), 5 bits each (50 bits),
/// shown as <c>XXXXX-XXXXX</c>. Typed back in any case, with or without the dash and spaces.
/// </summary>
internal static class RecoveryCodeFormat
{
    public const int Length = 10;
    public const int PerSet = 10;
    public const string Alphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// <summary>A new code, as shown.</summary>
    public static string Generate()
    {
        var code = RandomString.Generate(Length, Alphabet);
        return code[..5] + "-" + code[5..];
    }

    /// <summary>The code as compared and hashed (upper case, no separators); null when it cannot be a code.</summary>
    public static string? Canonical(string? typed)
    {
        if (typed is null || typed.Length > 64)
        {
            return null;
        }
        var chars = typed.Where(c => c is not ('-' or ' ')).Select(char.ToUpperInvariant).ToArray();
        return chars.Length == Length && chars.All(c => Alphabet.Contains(c, StringComparison.Ordinal)) ? new string(chars) : null;
    }
}
