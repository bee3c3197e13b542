using Portal.Users;
using Portal.Session;

namespace Portal.WebAuthn;

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
