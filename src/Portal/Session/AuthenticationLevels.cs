namespace Portal.Session;

internal static class AuthenticationLevels
{
    /// <summary>
    /// The session's level, decided in Authelia's order (<c>UserSession.AuthenticationLevel</c>):
    /// no user → none; knowledge and possession → two; the passkey-UV switch with a user-verified WebAuthn assertion →
    /// two; either factor → one.
    /// </summary>
    /// <param name="passkeyUvCountsAsTwoFactor"><c>webauthn.experimental_enable_passkey_uv_two_factors</c>.</param>
    public static AuthenticationLevel Level(UserSession session, bool passkeyUvCountsAsTwoFactor)
    {
        ArgumentNullException.ThrowIfNull(session);
        return string.IsNullOrEmpty(session.Username)
            ? AuthenticationLevel.NotAuthenticated
            : Level(session.AuthenticationMethods, passkeyUvCountsAsTwoFactor);
    }

    /// <summary>
    /// The level the methods of a known user prove. The authz decision calls this with the switch as the matching
    /// rule resolves it (<c>passkey_uv_two_factor</c>, else the global switch): one ranking for every caller.
    /// </summary>
    public static AuthenticationLevel Level(AuthenticationMethods amr, bool passkeyUvCountsAsTwoFactor)
    {
        ArgumentNullException.ThrowIfNull(amr);
        if (amr.FactorPossession && amr.FactorKnowledge)
        {
            return AuthenticationLevel.TwoFactor;
        }
        if (passkeyUvCountsAsTwoFactor && amr.WebAuthn && amr.WebAuthnUserVerified)
        {
            return AuthenticationLevel.TwoFactor;
        }
        if (amr.FactorPossession || amr.FactorKnowledge)
        {
            return AuthenticationLevel.OneFactor;
        }
        return AuthenticationLevel.NotAuthenticated;
    }
}
