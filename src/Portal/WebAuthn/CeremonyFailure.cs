using Portal.Users;
using Portal.Session;

namespace Portal.WebAuthn;

internal enum CeremonyFailure
{
    None,

    /// <summary>No ceremony, a ceremony of the other kind, or one started for another RP ID or user.</summary>
    NoCeremony,

    /// <summary>Older than <c>webauthn.timeout</c>.</summary>
    Expired,

    /// <summary>The response did not verify (origin, RP ID hash, challenge, signature, flags, unknown credential...).</summary>
    Rejected,

    /// <summary>Verified, but refused by <c>webauthn.filtering</c> (AAGUID, backup eligibility).</summary>
    NotPermitted,

    /// <summary>Registration: the user already has a credential with this name.</summary>
    DuplicateDescription,

    /// <summary>Registration: this credential ID is already registered.</summary>
    DuplicateCredential,

    /// <summary>Assertion: the counter did not increase, or the credential was flagged before. Stored as clone_warning.</summary>
    CloneWarning,
}
