using System.Text.Json.Serialization;

namespace Portal.WebAuthn;

internal sealed record WebAuthnCredentialView(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("last_used_at")] DateTimeOffset? LastUsedAt,
    [property: JsonPropertyName("rpid")] string RpId,
    [property: JsonPropertyName("username")] string Username,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("kid")] string Kid,
    [property: JsonPropertyName("aaguid")] string? Aaguid,
    [property: JsonPropertyName("attestation_type")] string AttestationType,
    [property: JsonPropertyName("attestation_format")] string AttestationFormat,
    [property: JsonPropertyName("attachment")] string Attachment,
    [property: JsonPropertyName("transports")] IReadOnlyList<string> Transports,
    [property: JsonPropertyName("sign_count")] uint SignCount,
    [property: JsonPropertyName("clone_warning")] bool CloneWarning,
    [property: JsonPropertyName("legacy")] bool Legacy,
    [property: JsonPropertyName("discoverable")] bool Discoverable,
    [property: JsonPropertyName("present")] bool Present,
    [property: JsonPropertyName("verified")] bool Verified,
    [property: JsonPropertyName("backup_eligible")] bool BackupEligible,
    [property: JsonPropertyName("backup_state")] bool BackupState,
    [property: JsonPropertyName("public_key")] string PublicKey,
    [property: JsonPropertyName("authenticator")] string Authenticator,
    [property: JsonPropertyName("attestation_trusted")] bool AttestationTrusted);
