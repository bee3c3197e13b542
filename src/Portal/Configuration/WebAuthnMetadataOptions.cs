namespace Portal.Configuration;

/// <summary>
/// <c>webauthn.metadata</c>: the FIDO Metadata Service (MDS3) blob, where it comes from, and which of Authelia's
/// checks apply to attestations and, for the status, to later sign-ins.
/// </summary>
internal sealed class WebAuthnMetadataOptions
{
    public bool Enabled { get; set; }

    /// <summary>An MDS3 blob (the JWT) on disk; when set, nothing is downloaded.</summary>
    public string Path { get; set; } = "";

    /// <summary>Where to download the blob from when <see cref="Path"/> is empty.</summary>
    public string Url { get; set; } = "https://mds3.fidoalliance.org/";

    /// <summary>The downloaded blob is kept here and used until its <c>nextUpdate</c> (and after, if a download fails).</summary>
    public string CachePath { get; set; } = "";

    /// <summary>PEM file of the root the blob's signing chain must lead to; empty = the FIDO Alliance root (built in).</summary>
    public string RootCertificate { get; set; } = "";

    public bool ValidateTrustAnchor { get; set; } = true;
    public bool ValidateEntry { get; set; } = true;
    public bool ValidateEntryPermitZeroAaguid { get; set; }
    public bool ValidateStatus { get; set; } = true;
    public List<string> ValidateStatusPermitted { get; set; } = [];

    public List<string> ValidateStatusProhibited { get; set; } =
        ["REVOKED", "USER_KEY_PHYSICAL_COMPROMISE", "USER_KEY_REMOTE_COMPROMISE", "USER_VERIFICATION_BYPASS", "ATTESTATION_KEY_COMPROMISE"];
}
