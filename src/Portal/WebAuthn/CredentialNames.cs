using Portal.Users;
using Portal.Session;

namespace Portal.WebAuthn;

/// <summary>Credential display names: 1–64 characters, no control characters, compared case-insensitively.</summary>
internal static class CredentialNames
{
    public const int MaxLength = 64;

    /// <summary>The trimmed name, or null when it is not acceptable.</summary>
    public static string? Normalize(string? description)
    {
        var trimmed = (description ?? "").Trim();
        var length = 0;
        foreach (var rune in trimmed.EnumerateRunes())
        {
            if (System.Text.Rune.IsControl(rune) || IsBidiControl(rune.Value))
            {
                return null;
            }
            length++;
        }
        return length is >= 1 and <= MaxLength ? trimmed : null;
    }

    /// <summary>
    /// Embeddings, overrides, isolates and direction marks: invisible, and they reorder the text around them, so a
    /// name could show as another (a "Key\u202Eyek" that reads "Keykey") in the list, the emails and the logs.
    /// </summary>
    private static bool IsBidiControl(int c) =>
        c is 0x061C or 0x200E or 0x200F or (>= 0x202A and <= 0x202E) or (>= 0x2066 and <= 0x2069);
}
