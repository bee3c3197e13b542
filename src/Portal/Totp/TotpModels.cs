using System.Text.Json.Serialization;

namespace Portal.Totp;

/// <summary>The JSON bodies of the TOTP endpoints, in Authelia's field names.</summary>
internal static class TotpModels
{
    /// <summary><c>GET /api/secondfactor/totp</c>: the user's configuration, without its secret.</summary>
    internal sealed record ConfigurationView(
        [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
        [property: JsonPropertyName("last_used_at")] DateTimeOffset? LastUsedAt,
        [property: JsonPropertyName("issuer")] string Issuer,
        [property: JsonPropertyName("algorithm")] string Algorithm,
        [property: JsonPropertyName("digits")] int Digits,
        [property: JsonPropertyName("period")] int Period);

    /// <summary><c>GET /api/secondfactor/totp/register</c>: what a user may choose, the defaults first.</summary>
    internal sealed record RegistrationOptions(
        [property: JsonPropertyName("algorithm")] string Algorithm,
        [property: JsonPropertyName("length")] int Length,
        [property: JsonPropertyName("period")] int Period,
        [property: JsonPropertyName("algorithms")] IReadOnlyList<string> Algorithms,
        [property: JsonPropertyName("lengths")] IReadOnlyList<int> Lengths,
        [property: JsonPropertyName("periods")] IReadOnlyList<int> Periods);

    /// <summary><c>PUT /api/secondfactor/totp/register</c>: the choices (each optional: the default).</summary>
    internal sealed record RegistrationRequest(
        [property: JsonPropertyName("algorithm")] string? Algorithm,
        [property: JsonPropertyName("length")] int? Length,
        [property: JsonPropertyName("period")] int? Period);

    /// <summary>The secret to enter into an app: as text, as a URI, and as that URI's QR code (PNG data URI).</summary>
    internal sealed record RegistrationStarted(
        [property: JsonPropertyName("base32_secret")] string Base32Secret,
        [property: JsonPropertyName("otpauth_url")] string OtpAuthUrl,
        [property: JsonPropertyName("qr_code")] string QrCode);

    /// <summary>A code: confirming a registration, or as the second factor (with where to go after).</summary>
    internal sealed record CodeRequest(
        [property: JsonPropertyName("token")] string? Token,
        [property: JsonPropertyName("targetURL")] string? TargetUrl);
}
