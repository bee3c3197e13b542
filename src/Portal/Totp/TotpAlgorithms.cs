using OtpNet;

namespace Portal.Totp;

/// <summary>The HMAC algorithms TOTP allows (RFC 6238), spelled as Authelia writes them: SHA1, SHA256, SHA512.</summary>
internal static class TotpAlgorithms
{
    public static readonly IReadOnlyList<string> All = ["SHA1", "SHA256", "SHA512"];

    /// <summary>The canonical spelling (upper case, as in Authelia's exports), or null for an unknown name.</summary>
    public static string? Normalize(string? name) =>
        All.FirstOrDefault(a => string.Equals(a, name?.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>Digits an authenticator app can show (RFC 4226 allows 6 to 8; apps show 6 or 8).</summary>
    public static bool IsValidDigits(int digits) => digits is 6 or 8;

    public static OtpHashMode Mode(string algorithm) => Normalize(algorithm) switch
    {
        "SHA1" => OtpHashMode.Sha1,
        "SHA256" => OtpHashMode.Sha256,
        "SHA512" => OtpHashMode.Sha512,
        _ => throw new ArgumentException($"unknown TOTP algorithm '{algorithm}'", nameof(algorithm)),
    };
}
