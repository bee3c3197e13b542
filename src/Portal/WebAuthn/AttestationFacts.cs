namespace Portal.WebAuthn;

/// <summary>What a verified attestation object says besides the key: the statement format, the authenticator data and
/// the statement's certificate chain (<c>x5c</c>, leaf first; empty for none and self attestation).</summary>
internal sealed record AttestationFacts(string Format, AuthenticatorFacts Authenticator, IReadOnlyList<byte[]> Certificates);
