using Portal.Configuration;

namespace Portal.WebAuthn;

/// <summary>
/// <c>webauthn.metadata</c>: the FIDO Metadata Service (MDS3) blob, where it comes from, and which of Authelia's
/// checks apply to attestations and, for the status, to later sign-ins.
/// </summary>
internal sealed class WebAuthnMetadataOptions
{
    public bool Enabled { get; init; }

    /// <summary>An MDS3 blob (the JWT) on disk; when set, nothing is downloaded.</summary>
    [ConfigPath]
    public string Path { get; init; } = "";

    /// <summary>Where to download the blob from when <see cref="Path"/> is empty.</summary>
    public string Url { get; init; } = "https://mds3.fidoalliance.org/";

    /// <summary>The downloaded blob is kept here and used until its <c>nextUpdate</c> (and after, if a download fails).</summary>
    [ConfigPath]
    public string CachePath { get; init; } = "";

    /// <summary>PEM file of the root the blob's signing chain must lead to; empty = the FIDO Alliance root (built in).</summary>
    [ConfigPath]
    public string RootCertificate { get; init; } = "";

    public bool ValidateTrustAnchor { get; init; } = true;
    public bool ValidateEntry { get; init; } = true;
    public bool ValidateEntryPermitZeroAaguid { get; init; }
    public bool ValidateStatus { get; init; } = true;
    public IReadOnlyList<string> ValidateStatusPermitted { get; init; } = [];

    public IReadOnlyList<string> ValidateStatusProhibited { get; init; } =
        ["REVOKED", "USER_KEY_PHYSICAL_COMPROMISE", "USER_KEY_REMOTE_COMPROMISE", "USER_VERIFICATION_BYPASS", "ATTESTATION_KEY_COMPROMISE"];
}
