using System.Security.Cryptography;

namespace Portal.Crypto;

/// <summary>Random secrets drawn uniformly from a character set, as <c>portal crypto rand</c> prints them.</summary>
internal static class RandomString
{
    public const string Alphabetic = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    public const string Numeric = "0123456789";
    public const string NumericHex = "0123456789abcdef";
    public const string Alphanumeric = Alphabetic + Numeric;
    /// <summary>RFC 3986 "unreserved" characters: safe in URLs without escaping.</summary>
    public const string Rfc3986 = Alphanumeric + "-._~";
    /// <summary>Every printable ASCII character except space.</summary>
    public static readonly string Ascii = new([.. Enumerable.Range(0x21, 0x7e - 0x21 + 1).Select(i => (char)i)]);

    public static bool TryGetCharset(string name, out string charset)
    {
        charset = name switch
        {
            "alphanumeric" => Alphanumeric,
            "alphabetic" => Alphabetic,
            "numeric" => Numeric,
            "numeric-hex" => NumericHex,
            "rfc3986" => Rfc3986,
            "ascii" => Ascii,
            _ => "",
        };
        return charset.Length > 0;
    }

    /// <summary>
    /// <paramref name="length"/> characters from <paramref name="charset"/> (1 to 256 distinct characters).
    /// Bytes at or above the largest multiple of the set's size are thrown away and redrawn, because mapping them
    /// with a plain modulo would make the first characters of the set more likely than the rest.
    /// </summary>
    public static string Generate(int length, string charset) => Generate(length, charset, RandomNumberGenerator.Fill);

    /// <param name="fill">the byte source; tests pass a fixed one to show which bytes are rejected</param>
    internal static string Generate(int length, string charset, SpanFiller fill)
    {
        ArgumentNullException.ThrowIfNull(fill);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentException.ThrowIfNullOrEmpty(charset);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(charset.Length, 256, nameof(charset));
        var n = charset.Length;
        var limit = 256 - (256 % n);
        var result = new char[length];
        Span<byte> buffer = stackalloc byte[64];
        var filled = 0;
        while (filled < length)
        {
            fill(buffer);
            foreach (var b in buffer)
            {
                if (b >= limit)
                {
                    continue;
                }
                result[filled++] = charset[b % n];
                if (filled == length)
                {
                    break;
                }
            }
        }
        CryptographicOperations.ZeroMemory(buffer);
        return new string(result);
    }
}

/// <summary>Fills a buffer with random bytes (a delegate type because <see cref="Span{T}"/> can't be a generic argument).</summary>
internal delegate void SpanFiller(Span<byte> buffer);
