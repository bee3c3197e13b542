namespace Portal.WebAuthn;

/// <summary>What <see cref="AuthenticatorPolicy"/> decided about a registration.</summary>
/// <param name="Refusal">Why it is refused, for the log; null when permitted.</param>
/// <param name="Authenticator">The authenticator's name from FIDO metadata, else from the attestation certificate, else empty.</param>
/// <param name="Trusted">The attestation chain verified to a root of the authenticator's FIDO metadata entry.</param>
internal sealed record PolicyDecision(string? Refusal, string Authenticator, bool Trusted);
