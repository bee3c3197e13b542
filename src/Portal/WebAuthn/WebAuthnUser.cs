using Microsoft.AspNetCore.Identity;
using Portal.Users;

namespace Portal.WebAuthn;

/// <summary>
/// The user as ASP.NET Core Identity's passkey code sees it. <see cref="Id"/> is the WebAuthn user handle (the
/// handler sends its UTF-8 bytes, which for our ASCII handles is the string itself).
/// </summary>
internal sealed class WebAuthnUser(string id, string userName)
{
    public string Id { get; } = id;

    /// <summary>The canonical username (users-file key).</summary>
    public string UserName { get; } = userName;
}
