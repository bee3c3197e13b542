namespace Portal.Session;

/// <summary>How strongly the session's user has authenticated. Computed on demand; never stored.</summary>
internal enum AuthenticationLevel
{
    NotAuthenticated = 0,
    OneFactor = 1,
    TwoFactor = 2,
}
