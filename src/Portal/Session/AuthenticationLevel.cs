namespace Portal.Session;

/// <summary>How strongly the session's user has authenticated. Computed on demand; never stored.</summary>
internal enum AuthenticationLevel
{
    NotAuthenticated = 0,
    OneFactor = 1,
    TwoFactor = 2,
}

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
        var amr = session.AuthenticationMethods;
        if (string.IsNullOrEmpty(session.Username))
        {
            return AuthenticationLevel.NotAuthenticated;
        }
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
