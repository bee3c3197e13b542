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

    /// <summary>
    /// As the authenticator reports it. Attested (vouched for by the attestation's signer) only when
    /// <see cref="AttestationTrusted"/>: without FIDO metadata nothing anchors the signer, so it is self-asserted.
    /// </summary>
    public Guid Aaguid { get; init; }

    /// <summary>none, self, basic, attca, anonca... as the library classified the verified statement.</summary>
    public string AttestationType { get; init; } = "";
    public string AttestationFormat { get; init; } = "";

    /// <summary>The verified statement's x5c certificates (DER, leaf first); empty for none/self and rows before V0005.</summary>
    public IReadOnlyList<byte[]> AttestationChain { get; init; } = [];

    /// <summary>Maker/model: the FIDO metadata description, else the attestation certificate's organisation, else empty.</summary>
    public string Authenticator { get; init; } = "";

    /// <summary>The attestation chain verified to a root of the authenticator's FIDO metadata entry.</summary>
    public bool AttestationTrusted { get; init; }

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
        Convert.ToBase64String(PublicKey), Authenticator, AttestationTrusted);
}
