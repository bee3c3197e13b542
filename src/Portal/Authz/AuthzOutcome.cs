using Portal.Authorization;
using Portal.Session;

namespace Portal.Authz;

internal enum AuthzOutcome
{
    /// <summary>200, with <c>Remote-*</c> headers when the user is known.</summary>
    Authorized,

    /// <summary>403.</summary>
    Forbidden,

    /// <summary>Log in (again): redirect, or 401 for API callers.</summary>
    Unauthorized,
}

/// <summary>
/// The whole authorization decision: the rules' policy combined with what the session proves. Pure, shared by
/// the authz endpoints and the gateway so that they can never disagree.
/// </summary>
internal static class AuthzDecision
{
    public static AuthzOutcome Evaluate(AccessDecision decision, AuthenticationLevel level)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var authenticated = level > AuthenticationLevel.NotAuthenticated;
        return decision.Policy switch
        {
            Policy.Bypass => AuthzOutcome.Authorized,
            // An anonymous user who only "potentially" matched a deny rule with a subject is asked to log in: after
            // login a later rule may let them in (Authelia's "rule matching concept 2").
            Policy.Deny when authenticated || !decision.HasSubject => AuthzOutcome.Forbidden,
            Policy.OneFactor when level >= AuthenticationLevel.OneFactor => AuthzOutcome.Authorized,
            Policy.TwoFactor when level >= AuthenticationLevel.TwoFactor => AuthzOutcome.Authorized,
            _ => AuthzOutcome.Unauthorized,
        };
    }
}
