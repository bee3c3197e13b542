using System.ComponentModel;
using Portal.Configuration;

namespace Portal.WebAuthn;

/// <summary>
/// <c>webauthn.metadata</c>: the FIDO Metadata Service (MDS3) blob, where it comes from, and which of Authelia's
/// checks apply to attestations and, for the status, to later sign-ins.
/// </summary>
internal sealed class WebAuthnMetadataOptions
{
    [Description("Trust attestation chains to the roots MDS3 lists and refuse authenticators with a bad status.")]
    public bool Enabled { get; init; }

    /// <summary>An MDS3 blob (the JWT) on disk; when set, nothing is downloaded.</summary>
    [ConfigPath]
    [Description("An MDS3 blob file; when set nothing is downloaded.")]
    public string Path { get; init; } = "";

    /// <summary>Where to download the blob from when <see cref="Path"/> is empty.</summary>
    [Description("Where the blob is downloaded from when path is empty.")]
    public string Url { get; init; } = "https://mds3.fidoalliance.org/";

    /// <summary>The downloaded blob is kept here and used until its <c>nextUpdate</c> (and after, if a download fails).</summary>
    [ConfigPath]
    [Description("Where the downloaded blob is kept; empty keeps it in memory only.")]
    public string CachePath { get; init; } = "";

    /// <summary>PEM file of the root the blob's signing chain must lead to; empty = the FIDO Alliance root (built in).</summary>
    [ConfigPath]
    [Description("PEM root the blob's signing chain must lead to; empty means the FIDO Alliance root.")]
    public string RootCertificate { get; init; } = "";

    [Description("The attestation chain must lead to a root listed in the authenticator's entry.")]
    public bool ValidateTrustAnchor { get; init; } = true;
    [Description("The authenticator must have an entry.")]
    public bool ValidateEntry { get; init; } = true;
    [Description("Except an all-zero AAGUID (what browsers send with attestation 'none').")]
    public bool ValidateEntryPermitZeroAaguid { get; init; }
    [Description("Check the entry's latest status at registration and at every sign-in.")]
    public bool ValidateStatus { get; init; } = true;
    [Description("When not empty, the latest status must be one of these.")]
    public IReadOnlyList<string> ValidateStatusPermitted { get; init; } = [];

    [Description("Refused statuses.")]
    public IReadOnlyList<string> ValidateStatusProhibited { get; init; } =
        ["REVOKED", "USER_KEY_PHYSICAL_COMPROMISE", "USER_KEY_REMOTE_COMPROMISE", "USER_VERIFICATION_BYPASS", "ATTESTATION_KEY_COMPROMISE"];
}
