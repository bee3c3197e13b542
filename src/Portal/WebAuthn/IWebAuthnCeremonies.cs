using Portal.Users;
using Portal.Session;

namespace Portal.WebAuthn;

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
