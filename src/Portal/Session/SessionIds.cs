using System.Buffers.Text;
using System.Security.Cryptography;

namespace Portal.Session;

/// <summary>
/// Session identifiers: 256 bits from the OS CSPRNG, base64url without padding (43 characters).
/// Anything else in a cookie is refused before it reaches a store, so garbage cannot be used to probe Redis keys
/// or to make the store do work.
/// </summary>
internal static class SessionIds
{
    private const int RandomBytes = 32;

    /// <summary>Length of every id we issue.</summary>
    public const int Length = 43;

    public static string New() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(RandomBytes));

    /// <summary>True only for a value shaped exactly like an id we issue.</summary>
    public static bool IsWellFormed(string? value)
    {
        if (value is null || value.Length != Length)
        {
            return false;
        }
        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_'))
            {
                return false;
            }
        }
        return true;
    }
}
