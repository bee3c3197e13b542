namespace Portal.Totp;

/// <summary>
/// A user's TOTP secret and its parameters (Authelia's <c>totp_configurations</c> row). The secret is the raw key
/// bytes (what the base32 text and the QR code carry); the store keeps it encrypted.
/// </summary>
/// <param name="Id">the store's row id (0 before it is stored); a new secret is a new row</param>
/// <param name="Username">the canonical username key</param>
/// <param name="LastUsedStep">the time step of the last accepted code; a code of that step or an earlier one is refused</param>
internal sealed record TotpConfiguration(
    long Id,
    string Username,
    string Issuer,
    string Algorithm,
    int Digits,
    int Period,
    byte[] Secret,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastUsedAt = null,
    long? LastUsedStep = null);
