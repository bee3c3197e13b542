namespace Portal.Crypto;

/// <summary>
/// The unpadded base64 variants used in PHC strings: standard (argon2) and passlib's "adapted" base64, which swaps
/// '+' for '.' (pbkdf2). Decoding is strict so that stray characters make a digest malformed instead of being skipped
/// the way <see cref="Convert.FromBase64String(string)"/> skips whitespace.
/// </summary>
internal static class Base64Codec
{
    public static string EncodeUnpadded(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    public static bool TryDecodeUnpadded(string text, out byte[] bytes) => TryDecode(text, plusChar: '+', out bytes);

    public static bool TryDecodeAdapted(string text, out byte[] bytes) => TryDecode(text, plusChar: '.', out bytes);

    private static bool TryDecode(string text, char plusChar, out byte[] bytes)
    {
        bytes = [];
        // Tolerate padding since some writers keep it; a length of 1 mod 4 can never be valid base64.
        var trimmed = text.TrimEnd('=');
        if (trimmed.Length % 4 == 1)
        {
            return false;
        }
        var chars = new char[trimmed.Length + ((4 - (trimmed.Length % 4)) % 4)];
        for (var i = 0; i < trimmed.Length; i++)
        {
            var c = trimmed[i];
            if (c == plusChar)
            {
                chars[i] = '+';
            }
            else if (char.IsAsciiLetterOrDigit(c) || c == '/')
            {
                chars[i] = c;
            }
            else
            {
                return false;
            }
        }
        chars.AsSpan(trimmed.Length).Fill('=');
        var buffer = new byte[chars.Length / 4 * 3];
        if (!Convert.TryFromBase64Chars(chars, buffer, out var written))
        {
            return false;
        }
        bytes = buffer[..written];
        return true;
    }
}
