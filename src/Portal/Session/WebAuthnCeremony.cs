using Portal.Users;

namespace Portal.Session;

/// <summary>Server-side state of a WebAuthn ceremony between the options call and the browser's response.</summary>
internal sealed class WebAuthnCeremony
{
    public WebAuthnCeremonyKind Kind { get; set; }

    /// <summary>The opaque state from the WebAuthn library (attestation or assertion state).</summary>
    public string State { get; set; } = "";

    /// <summary>The credential name given at registration.</summary>
    public string Description { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The RP ID the ceremony was started for; completing it for another one is refused.</summary>
    public string RpId { get; set; } = "";

    /// <summary>The user the ceremony was started for (empty for a discoverable login).</summary>
    public string Username { get; set; } = "";

    /// <summary>A copy (only value-like members; see <see cref="UserSession.Copy"/>).</summary>
    public WebAuthnCeremony Copy() => (WebAuthnCeremony)MemberwiseClone();
}
