using Portal.Users;

namespace Portal.Session;

internal enum WebAuthnCeremonyKind
{
    Attestation,
    Assertion,
}
