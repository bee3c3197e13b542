using Portal.Session;

namespace Portal.ForwardAuth;

/// <summary>One of an endpoint's authn strategies (<c>server.endpoints.authz.*.authn_strategies</c>), built by <see cref="AuthzAuthenticators"/>.</summary>
internal interface IAuthzAuthenticator
{
    /// <summary>
    /// Null when the call carries nothing of this kind: the next strategy decides. Otherwise its decision, which ends
    /// the search: a user, or a refused credential with its challenge.
    /// </summary>
    /// <param name="manager">the session manager of the target's cookie domain</param>
    /// <param name="setCookies">collects session cookies to send with whatever the answer is (refreshed, expired, destroyed)</param>
    Task<AuthnResult?> AuthenticateAsync(AuthzRequest request, SessionManager manager, ICollection<string> setCookies, CancellationToken ct);
}
