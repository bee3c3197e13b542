using System.Buffers.Text;

namespace Portal.Elevation;

/// <summary>
/// What every <see cref="IOneTimeCodeStore"/> shares, whatever its engine: the alphabet, the intent, how long codes
/// are kept, and the public id's text form.
/// </summary>
internal static class OneTimeCodes
{
    /// <summary>Upper-case letters and digits without the look-alikes (0/O, 1/I, 5/S, S, ...): Authelia's set.</summary>
    public const string Charset = "ABCDEFGHJKLMNPQRTUVWYXZ2346789";

    /// <summary>The intent of elevation codes, Authelia's <c>use</c>.</summary>
    public const string ElevationIntent = "use";

    /// <summary>How long expired codes are kept (for the record) before they are deleted.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(7);

    public static string EncodePublicId(Guid id)
    {
        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes, bigEndian: true, out _);
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>Strict: exactly the 22 characters <see cref="EncodePublicId"/> produces, nothing else decodes.</summary>
    public static bool TryDecodePublicId(string? text, out Guid id)
    {
        id = Guid.Empty;
        Span<byte> bytes = stackalloc byte[16];
        if (text is null || text.Length != 22)
        {
            return false;
        }
        int written;
        try
        {
            // Throws rather than returning false for characters outside the alphabet and non-zero padding bits.
            if (!Base64Url.TryDecodeFromChars(text, bytes, out written))
            {
                return false;
            }
        }
        catch (FormatException)
        {
            return false;
        }
        if (written != 16)
        {
            return false;
        }
        var decoded = new Guid(bytes, bigEndian: true);
        // Base64 can carry stray bits in the last character; only the canonical spelling names the code.
        if (EncodePublicId(decoded) != text)
        {
            return false;
        }
        id = decoded;
        return true;
    }
}
