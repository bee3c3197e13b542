using Microsoft.AspNetCore.Identity;
using Portal.Users;
using Portal.Storage;

namespace Portal.WebAuthn;

/// <summary>
/// The bridge Identity's <see cref="PasskeyHandler{TUser}"/> reads through, for ONE relying party: users come from
/// the users file (a removed or disabled user is unknown here, so their credentials stop working), credentials from
/// <see cref="IWebAuthnCredentialStore"/>. It is read-only: <see cref="WebAuthnCeremonies"/> writes credentials itself,
/// with the fields Identity's <see cref="UserPasskeyInfo"/> does not carry.
/// <para>
/// Counters are reported to the handler as 0. The handler's own check would refuse a regressed counter without
/// saying which check failed; Authelia's behaviour needs to know (to store the clone warning), so
/// <see cref="WebAuthnCeremonies"/> applies the counter rule itself after the signature is verified.
/// </para>
/// </summary>
internal sealed class WebAuthnIdentityStore(string rpId, IWebAuthnCredentialStore credentials, IUserProvider users)
    : IUserStore<WebAuthnUser>, IUserPasskeyStore<WebAuthnUser>
{
    public Task<string> GetUserIdAsync(WebAuthnUser user, CancellationToken cancellationToken) => Task.FromResult(Require(user).Id);

    public Task<string?> GetUserNameAsync(WebAuthnUser user, CancellationToken cancellationToken) => Task.FromResult<string?>(Require(user).UserName);

    public Task<string?> GetNormalizedUserNameAsync(WebAuthnUser user, CancellationToken cancellationToken) => Task.FromResult<string?>(Require(user).UserName);

    public Task SetUserNameAsync(WebAuthnUser user, string? userName, CancellationToken cancellationToken) => throw ReadOnly();

    public Task SetNormalizedUserNameAsync(WebAuthnUser user, string? normalizedName, CancellationToken cancellationToken) => throw ReadOnly();

    public Task<IdentityResult> CreateAsync(WebAuthnUser user, CancellationToken cancellationToken) => throw ReadOnly();

    public Task<IdentityResult> UpdateAsync(WebAuthnUser user, CancellationToken cancellationToken) => throw ReadOnly();

    public Task<IdentityResult> DeleteAsync(WebAuthnUser user, CancellationToken cancellationToken) => throw ReadOnly();

    /// <summary>By user handle, within this RP ID; null unless the user still exists (and is enabled) in the users file.</summary>
    public async Task<WebAuthnUser?> FindByIdAsync(string userId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(userId))
        {
            return null;
        }
        var username = await credentials.FindUsernameByHandleAsync(rpId, userId, cancellationToken);
        var details = username is null ? null : users.GetDetails(username);
        return details is null ? null : new WebAuthnUser(userId, Usernames.Key(details.Username));
    }

    public async Task<WebAuthnUser?> FindByNameAsync(string normalizedUserName, CancellationToken cancellationToken)
    {
        var username = users.ResolveUsername(normalizedUserName);
        var handle = username is null ? null : await credentials.FindUserHandleAsync(rpId, username, cancellationToken);
        return handle is null ? null : new WebAuthnUser(handle, Usernames.Key(username!));
    }

    public async Task<IList<UserPasskeyInfo>> GetPasskeysAsync(WebAuthnUser user, CancellationToken cancellationToken) =>
        [.. (await credentials.ListAsync(rpId, Require(user).UserName, cancellationToken)).Select(ToPasskeyInfo)];

    /// <summary>
    /// Any owner, any RP ID: the handler asks this before accepting a new credential, and a credential ID must never
    /// be registered twice (§4b.10 "duplicate credential ID registered to another user").
    /// </summary>
    public async Task<WebAuthnUser?> FindByPasskeyIdAsync(byte[] credentialId, CancellationToken cancellationToken)
    {
        var credential = await credentials.FindByKidAsync(credentialId, cancellationToken);
        if (credential is null)
        {
            return null;
        }
        var handle = await credentials.FindUserHandleAsync(credential.RpId, credential.Username, cancellationToken);
        return new WebAuthnUser(handle ?? "", credential.Username);
    }

    public async Task<UserPasskeyInfo?> FindPasskeyAsync(WebAuthnUser user, byte[] credentialId, CancellationToken cancellationToken)
    {
        var credential = await credentials.FindByKidAsync(credentialId, cancellationToken);
        return credential is not null
            && string.Equals(credential.RpId, rpId, StringComparison.Ordinal)
            && string.Equals(credential.Username, Require(user).UserName, StringComparison.Ordinal)
            ? ToPasskeyInfo(credential)
            : null;
    }

    public Task AddOrUpdatePasskeyAsync(WebAuthnUser user, UserPasskeyInfo passkey, CancellationToken cancellationToken) => throw ReadOnly();

    public Task RemovePasskeyAsync(WebAuthnUser user, byte[] credentialId, CancellationToken cancellationToken) => throw ReadOnly();

    public void Dispose()
    {
    }

    private static UserPasskeyInfo ToPasskeyInfo(WebAuthnCredential c) =>
        new(c.Kid, c.PublicKey, c.CreatedAt, signCount: 0, [.. c.Transports], c.Verified, c.BackupEligible, c.BackupState,
            c.Attestation ?? [], clientDataJson: []);

    private static WebAuthnUser Require(WebAuthnUser user) => user ?? throw new ArgumentNullException(nameof(user));

    private static NotSupportedException ReadOnly() =>
        new("the WebAuthn identity store is read-only; WebAuthnCeremonies writes credentials");
}
