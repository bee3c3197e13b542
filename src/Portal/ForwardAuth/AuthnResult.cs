using Portal.Session;
using Portal.Users;

namespace Portal.ForwardAuth;

/// <summary>What an authenticator decided.</summary>
/// <param name="User">the user it named; null: nobody</param>
/// <param name="Methods">what that user proved</param>
/// <param name="Challenge">a credential authenticator's own answer to ask for credentials (again): with no user, the
/// credential presented was refused</param>
/// <param name="StoreUnavailable">the session store failed: fail closed</param>
internal sealed record AuthnResult(UserDetails? User, AuthenticationMethods? Methods, AuthzReply? Challenge = null, bool StoreUnavailable = false)
{
    /// <summary>No strategy named anyone.</summary>
    public static AuthnResult Anonymous { get; } = new(null, null);

    public static AuthnResult Unavailable { get; } = new(null, null, StoreUnavailable: true);
}
