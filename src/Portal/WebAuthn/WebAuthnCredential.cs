using System.Text.Json.Serialization;

namespace Portal.WebAuthn;

/// <summary>
/// One registered WebAuthn credential (a row of <c>webauthn_credentials</c>), owned by (<see cref="RpId"/>,
/// <see cref="Username"/>). <see cref="PublicKey"/> is the decrypted COSE key.
/// </summary>
internal sealed record WebAuthnCredential
{
    public long Id { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? LastUsedAt { get; init; }
    public required string RpId { get; init; }
    public required string Username { get; init; }
    public required string Description { get; init; }

    /// <summary>The raw credential ID.</summary>
    public required byte[] Kid { get; init; }

    /// <summary>As the authenticator reports it: attestation statements are not verified, so it is self-asserted.</summary>
    public Guid Aaguid { get; init; }
    public string AttestationType { get; init; } = "";
    public string AttestationFormat { get; init; } = "";

    /// <summary><c>platform</c>, <c>cross-platform</c> or empty when the browser did not say.</summary>
    public string Attachment { get; init; } = "";
    public IReadOnlyList<string> Transports { get; init; } = [];
    public uint SignCount { get; init; }
    public bool CloneWarning { get; init; }

    /// <summary>From <c>clientExtensionResults.credProps.rk</c> at registration (false when absent).</summary>
    public bool Discoverable { get; init; }

    /// <summary>UP at registration.</summary>
    public bool Present { get; init; }

    /// <summary>UV at registration.</summary>
    public bool Verified { get; init; }
    public bool BackupEligible { get; init; }
    public bool BackupState { get; init; }
    public required byte[] PublicKey { get; init; }
    public byte[]? Attestation { get; init; }

    /// <summary>The JSON the settings UI gets (Authelia's <c>WebAuthnCredential.MarshalJSON</c> fields).</summary>
    public WebAuthnCredentialView ToView() => new(
        Id, CreatedAt, LastUsedAt, RpId, Username, Description, Convert.ToBase64String(Kid),
        Aaguid == Guid.Empty ? null : Aaguid.ToString(), AttestationType, AttestationFormat, Attachment, Transports,
        SignCount, CloneWarning, Legacy: false, Discoverable, Present, Verified, BackupEligible, BackupState,
        Convert.ToBase64String(PublicKey));
}
