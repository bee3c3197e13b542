using Portal.Authentication;
using Portal.Session;

namespace Portal.WebAuthn;

/// <summary>
/// The relying party of one ceremony. <see cref="Id"/> is the portal's host as the browser reached it (not the
/// cookie domain); <see cref="Origin"/> is <c>scheme://host[:port]</c>, the only origin accepted in clientDataJSON.
/// </summary>
internal sealed record RelyingParty(string Id, string Origin);

/// <summary>Options JSON for the browser (<c>publicKey</c>) and the state to keep server-side until completion.</summary>
internal sealed record CeremonyStart(string PublicKeyJson, WebAuthnCeremony Ceremony);

internal enum RegistrationStartStatus
{
    Started,

    /// <summary>The name is empty, longer than 64 characters or contains control characters.</summary>
    InvalidDescription,
    DuplicateDescription,
}

internal sealed record RegistrationStart(RegistrationStartStatus Status, CeremonyStart? Start);

internal enum CeremonyFailure
{
    None,

    /// <summary>No ceremony, a ceremony of the other kind, or one started for another RP ID or user.</summary>
    NoCeremony,

    /// <summary>Older than <c>webauthn.timeout</c>.</summary>
    Expired,

    /// <summary>The response did not verify (origin, RP ID hash, challenge, signature, flags, unknown credential...).</summary>
    Rejected,

    /// <summary>Verified, but refused by <c>webauthn.filtering</c> (AAGUID, backup eligibility).</summary>
    NotPermitted,

    /// <summary>Registration: the user already has a credential with this name.</summary>
    DuplicateDescription,

    /// <summary>Registration: this credential ID is already registered.</summary>
    DuplicateCredential,

    /// <summary>Assertion: the counter did not increase, or the credential was flagged before. Stored as clone_warning.</summary>
    CloneWarning,
}

/// <param name="Reason">Why it failed, for the log (never for the client).</param>
internal sealed record RegistrationOutcome(CeremonyFailure Failure, string Reason, WebAuthnCredential? Credential)
{
    public bool Succeeded => Failure == CeremonyFailure.None;
}

/// <param name="Username">The canonical username the credential belongs to.</param>
/// <param name="UserPresent">UP of this assertion.</param>
/// <param name="UserVerified">UV of this assertion (not of the registration).</param>
/// <param name="CrossPlatform">The authenticator reported (or was registered with) the cross-platform attachment.</param>
internal sealed record AssertionOutcome(
    CeremonyFailure Failure, string Reason, string Username, WebAuthnCredential? Credential, bool UserPresent, bool UserVerified, bool CrossPlatform)
{
    public bool Succeeded => Failure == CeremonyFailure.None;

    public static AssertionOutcome Fail(CeremonyFailure failure, string reason, string username = "", WebAuthnCredential? credential = null) =>
        new(failure, reason, username, credential, false, false, false);
}

/// <summary>
/// WebAuthn registration and assertion ceremonies, free of HTTP so the second factor, passkey login and any later
/// caller share one implementation. Callers keep <see cref="CeremonyStart.Ceremony"/> in the session, remove it
/// before calling Complete (each ceremony is single use, whatever the outcome) and pass it in.
/// </summary>
internal interface IWebAuthnCeremonies
{
    /// <summary>Creation options with <c>excludeCredentials</c> = the user's credentials and <c>credProps</c>.</summary>
    Task<RegistrationStart> BeginRegistrationAsync(RelyingParty rp, UserDetails user, string? description, bool requireDiscoverable = false, CancellationToken cancellationToken = default);

    /// <summary>Verifies the attestation, applies filtering and stores the credential under the ceremony's name.</summary>
    Task<RegistrationOutcome> CompleteRegistrationAsync(RelyingParty rp, string username, WebAuthnCeremony? ceremony, string credentialJson,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Request options over the user's credentials (<c>allowCredentials</c>), or a discoverable request when
    /// <paramref name="username"/> is null. Null when the user has no credential for this RP ID.
    /// </summary>
    Task<CeremonyStart?> BeginAssertionAsync(RelyingParty rp, string? username, CancellationToken cancellationToken = default);

    /// <summary>
    /// Verifies the assertion, applies the counter rule and filtering, and records the sign-in on the credential.
    /// With no <paramref name="username"/> (a passkey login) the user is the owner of the returned user handle, and
    /// only a credential known to be discoverable is accepted unless <c>experimental_enable_passkey_upgrade</c> is on,
    /// in which case a credential that just worked as a passkey is marked discoverable.
    /// </summary>
    Task<AssertionOutcome> CompleteAssertionAsync(RelyingParty rp, string? username, WebAuthnCeremony? ceremony, string credentialJson,
        CancellationToken cancellationToken = default);
}

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
