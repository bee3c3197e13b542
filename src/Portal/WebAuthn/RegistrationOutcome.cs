using Portal.Users;
using Portal.Session;

namespace Portal.WebAuthn;

/// <param name="Reason">Why it failed, for the log (never for the client).</param>
internal sealed record RegistrationOutcome(CeremonyFailure Failure, string Reason, WebAuthnCredential? Credential)
{
    public bool Succeeded => Failure == CeremonyFailure.None;
}
