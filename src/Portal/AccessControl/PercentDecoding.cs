using System.Text;

namespace Portal.AccessControl;

/// <summary>
/// The one strict percent-decoder of request paths: every '%' starts two hex digits and the bytes are UTF-8 (no
/// overlong forms). The access-control target, its readings and the gateway's single-reading check all decode
/// with it, so they cannot disagree about what a path says.
/// </summary>
internal static class PercentDecoding
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>False, with <paramref name="error"/> saying why ("has …" / "is …", to follow a noun), when <paramref name="text"/> is not strictly encoded.</summary>
    public static bool TryDecode(string text, out string decoded, out string error)
    {
        ArgumentNullException.ThrowIfNull(text);
        decoded = text;
        error = "";
        if (!text.Contains('%', StringComparison.Ordinal) && Ascii.IsValid(text))
        {
            return true;
        }
        try
        {
            var bytes = StrictUtf8.GetBytes(text);
            var length = 0;
            for (var i = 0; i < bytes.Length; i++)
            {
                var b = bytes[i];
                if (b == '%')
                {
                    if (i + 2 >= bytes.Length || !Uri.IsHexDigit((char)bytes[i + 1]) || !Uri.IsHexDigit((char)bytes[i + 2]))
                    {
                        error = "has invalid percent-encoding";
                        return false;
                    }
                    b = (byte)((Uri.FromHex((char)bytes[i + 1]) << 4) | Uri.FromHex((char)bytes[i + 2]));
                    i += 2;
                }
                bytes[length++] = b;
            }
            decoded = StrictUtf8.GetString(bytes, 0, length);
            return true;
        }
        catch (ArgumentException)
        {
            // EncoderFallbackException and DecoderFallbackException both derive from ArgumentException.
            error = "is not valid UTF-8";
            return false;
        }
    }
}
