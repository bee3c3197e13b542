using System.Globalization;
using OtpNet;
using QRCoder;

namespace Portal.Totp;

/// <summary>
/// TOTP arithmetic over Otp.NET (RFC 6238) and the registration QR code over QRCoder: secrets, their base32 text
/// and <c>otpauth://</c> URI, and which time step a code belongs to.
/// </summary>
internal static class TotpCodes
{
    /// <summary>A new random secret of <paramref name="size"/> bytes.</summary>
    public static byte[] NewSecret(int size) => KeyGeneration.GenerateRandomKey(size);

    /// <summary>Base32 without padding, as authenticator apps and Authelia's exports write it.</summary>
    public static string ToBase32(byte[] secret) => Base32Encoding.ToString(secret).TrimEnd('=');

    /// <summary>The secret from base32 text (spaces, case and padding ignored), or null when it is not base32.</summary>
    public static byte[]? FromBase32(string? text)
    {
        var cleaned = (text ?? "").Replace(" ", "", StringComparison.Ordinal).TrimEnd('=').ToUpperInvariant();
        if (cleaned.Length == 0 || cleaned.Any(c => c is not ((>= 'A' and <= 'Z') or (>= '2' and <= '7'))))
        {
            return null;
        }
        var bytes = Base32Encoding.ToBytes(cleaned);
        return bytes.Length == 0 ? null : bytes;
    }

    /// <summary>The <c>otpauth://totp/</c> URI authenticator apps read from the QR code.</summary>
    public static string OtpAuthUri(string issuer, string username, string base32Secret, string algorithm, int digits, int period) =>
        string.Create(CultureInfo.InvariantCulture,
            $"otpauth://totp/{Uri.EscapeDataString(issuer)}:{Uri.EscapeDataString(username)}?secret={base32Secret}&issuer={Uri.EscapeDataString(issuer)}&algorithm={algorithm}&digits={digits}&period={period}");

    /// <summary>The URI as a QR code, a PNG data URI (the pages' policy allows <c>data:</c> images).</summary>
    public static string QrCodeDataUri(string uri)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        var png = new PngByteQRCode(data).GetGraphic(4);
        return "data:image/png;base64," + Convert.ToBase64String(png);
    }

    /// <summary>
    /// The time step of <paramref name="code"/> within <paramref name="skew"/> steps either side of <paramref name="now"/>,
    /// or null when it matches none (or is not <paramref name="digits"/> digits).
    /// </summary>
    public static long? MatchStep(byte[] secret, string algorithm, int digits, int period, int skew, string? code, DateTimeOffset now)
    {
        if (code is null || code.Length != digits || !code.All(char.IsAsciiDigit))
        {
            return null;
        }
        var totp = new OtpNet.Totp(secret, period, TotpAlgorithms.Mode(algorithm), digits);
        return totp.VerifyTotp(now.UtcDateTime, code, out var step, new VerificationWindow(skew, skew)) ? step : null;
    }

    /// <summary>The code of <paramref name="now"/>'s step (tests and the CLI's check).</summary>
    public static string Compute(byte[] secret, string algorithm, int digits, int period, DateTimeOffset now) =>
        new OtpNet.Totp(secret, period, TotpAlgorithms.Mode(algorithm), digits).ComputeTotp(now.UtcDateTime);
}
