namespace Portal.WebAuthn;

/// <summary>
/// WebAuthn users and credentials, per (RP ID, username). Usernames are the canonical users-file keys; the store
/// normalises them again (trim, lower-case) like the other stores. Public keys and attestations are encrypted at rest.
/// </summary>
internal interface IWebAuthnCredentialStore
{
    /// <summary>The user's WebAuthn user handle for <paramref name="rpId"/>, created (random, 64 ASCII characters) on first use.</summary>
    Task<string> GetOrCreateUserHandleAsync(string rpId, string username, CancellationToken cancellationToken = default);

    Task<string?> FindUserHandleAsync(string rpId, string username, CancellationToken cancellationToken = default);

    /// <summary>
    /// The user's handle, storing <paramref name="userHandle"/> (from an export) when the user has none and no other
    /// user holds it, so an imported passkey, which returns its handle at sign-in, still finds its user.
    /// </summary>
    Task<string> ImportUserHandleAsync(string rpId, string username, string userHandle, CancellationToken cancellationToken = default);

    /// <summary>The username owning <paramref name="userHandle"/> for <paramref name="rpId"/>, or null.</summary>
    Task<string?> FindUsernameByHandleAsync(string rpId, string userHandle, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<WebAuthnCredential>> ListAsync(string rpId, string username, CancellationToken cancellationToken = default);

    /// <summary>Every credential for any RP ID, of one user or (<paramref name="username"/> null) of all, by id (<c>portal storage user webauthn</c>).</summary>
    Task<IReadOnlyList<WebAuthnCredential>> ListAllAsync(string? username, CancellationToken cancellationToken = default);

    Task<bool> HasAnyAsync(string rpId, string username, CancellationToken cancellationToken = default);

    /// <summary>Whether the user has a credential for any RP ID (a second factor, as elevation asks).</summary>
    Task<bool> HasAnyForUserAsync(string username, CancellationToken cancellationToken = default);

    Task<WebAuthnCredential?> FindAsync(string rpId, string username, long id, CancellationToken cancellationToken = default);

    /// <summary>The credential with this credential ID for any RP ID and user, or null.</summary>
    Task<WebAuthnCredential?> FindByKidAsync(byte[] kid, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds a credential as given (an import keeps its last use, counter and clone warning); the returned id is 0
    /// unless the result is <see cref="CredentialWriteResult.Done"/>.
    /// </summary>
    Task<(CredentialWriteResult Result, long Id)> AddAsync(WebAuthnCredential credential, CancellationToken cancellationToken = default);

    Task<CredentialWriteResult> RenameAsync(string rpId, string username, long id, string description, CancellationToken cancellationToken = default);

    Task<CredentialWriteResult> DeleteAsync(string rpId, string username, long id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records a verified assertion (the new counter, backup state and last use) if the counter rule still holds in
    /// the store: the stored counter is below <paramref name="signCount"/> (or both are 0) and no clone warning is
    /// set. False, and nothing written, when another assertion of the credential got there first with the same or a
    /// higher counter: the check and the write are one statement, so concurrent clones cannot both pass.
    /// </summary>
    Task<bool> UpdateSignInAsync(long id, uint signCount, bool backupState, DateTimeOffset usedAt, CancellationToken cancellationToken = default);

    /// <summary>Flags the credential as possibly cloned (its counter went backwards); it is refused from then on.</summary>
    Task SetCloneWarningAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records that the credential worked in a discoverable (passkey) login, whatever <c>credProps</c> said at
    /// registration (browsers that omit it register real passkeys as non-discoverable).
    /// </summary>
    Task SetDiscoverableAsync(long id, CancellationToken cancellationToken = default);
}
