using Portal.AccessControl;
using Portal.Session;

namespace Portal.ForwardAuth;

/// <summary>
/// The whole authorization decision: the rules' policy combined with what the session proves. Pure, shared by
/// the authz endpoints, the gateway (through <c>AuthzHandler.AuthorizeAsync</c>) and <c>access-control
/// check-policy</c>, so that they can never disagree.
/// </summary>
internal static class AuthzDecision
{
    /// <summary>The outcome for a user who proved <paramref name="methods"/> (null: anonymous) under the rule that applied.</summary>
    /// <param name="globalPasskeyUvSwitch"><c>webauthn.experimental_enable_passkey_uv_two_factors</c></param>
    public static AuthzOutcome Evaluate(AccessDecision decision, AuthenticationMethods? methods, bool globalPasskeyUvSwitch) =>
        Evaluate(decision, LevelUnder(decision, methods, globalPasskeyUvSwitch));

    /// <summary>
    /// The session's level as this rule sees it: the rule's <c>passkey_uv_two_factor</c>, else the global switch, says
    /// whether a user-verified passkey alone is two factors. A passkey without UV is never two factors, and
    /// something known plus something held always is (<see cref="AuthenticationLevels.Level(AuthenticationMethods, bool)"/>).
    /// </summary>
    public static AuthenticationLevel LevelUnder(AccessDecision decision, AuthenticationMethods? methods, bool globalPasskeyUvSwitch)
    {
        ArgumentNullException.ThrowIfNull(decision);
        return methods is null
            ? AuthenticationLevel.NotAuthenticated
            : AuthenticationLevels.Level(methods, decision.PasskeyUv.CountsAsTwoFactor(globalPasskeyUvSwitch));
    }

    // Private: a level computed without the rule's passkey setting must not reach a decision.
    private static AuthzOutcome Evaluate(AccessDecision decision, AuthenticationLevel level)
    {
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
