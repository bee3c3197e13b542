namespace Portal.WebAuthn;

/// <summary>The parts of authenticatorData the portal's policy reads (WebAuthn §6.1).</summary>
internal readonly record struct AuthenticatorFacts(bool UserPresent, bool UserVerified, bool BackupEligible, bool BackedUp, uint SignCount, Guid Aaguid);
