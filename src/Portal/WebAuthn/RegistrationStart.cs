using Portal.Users;
using Portal.Session;

namespace Portal.WebAuthn;

internal sealed record RegistrationStart(RegistrationStartStatus Status, CeremonyStart? Start);
