using Portal.Elevation;

namespace Portal.WebAuthn;

/// <summary>
/// <see cref="IUserSecondFactors"/> for elevation: WebAuthn credentials are the only second factor Portal has, so
/// a user has one when the credential store holds any of theirs (for any RP ID). Asked through the store, so
/// elevation reads no WebAuthn table itself.
/// </summary>
internal sealed class WebAuthnSecondFactors(IWebAuthnCredentialStore credentials) : IUserSecondFactors
{
    public Task<bool> HasAnyAsync(string username, CancellationToken cancellationToken) =>
        credentials.HasAnyForUserAsync(username, cancellationToken);

    public Task<bool> HasAnyAsync(string rpId, string username, CancellationToken cancellationToken) =>
        credentials.HasAnyAsync(rpId, username, cancellationToken);
}
