namespace Portal.Session;

/// <summary>
/// A TOTP secret shown to the user but not yet confirmed with a first code (Authelia keeps it in the session too):
/// it becomes the user's configuration only once a code from it is accepted.
/// </summary>
internal sealed class TotpRegistration
{
    /// <summary>The secret as base32 text without padding, as shown and put in the QR code.</summary>
    public string Secret { get; set; } = "";
    public string Issuer { get; set; } = "";
    public string Algorithm { get; set; } = "";
    public int Digits { get; set; }
    public int Period { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>A copy (only value-like members; see <see cref="UserSession.Copy"/>).</summary>
    public TotpRegistration Copy() => (TotpRegistration)MemberwiseClone();
}
