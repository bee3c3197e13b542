namespace Portal.WebAuthn;

internal enum CredentialWriteResult
{
    Done,

    /// <summary>No such credential for this (RP ID, user).</summary>
    NotFound,

    /// <summary>The user already has a credential with that description (case-insensitive).</summary>
    DuplicateDescription,

    /// <summary>The credential ID is already registered (to anyone, for any RP ID).</summary>
    DuplicateCredentialId,
}
