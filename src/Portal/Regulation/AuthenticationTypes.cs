namespace Portal.Regulation;

/// <summary>The <c>auth_type</c> values written to <c>authentication_logs</c>, as Authelia spells them.</summary>
internal static class AuthenticationTypes
{
    /// <summary>First factor: the login form's password, or HTTP Basic on the authz endpoint.</summary>
    public const string OneFactor = "1FA";

    /// <summary>A discoverable WebAuthn credential used as the first factor.</summary>
    public const string Passkey = "Passkey";

    /// <summary>A WebAuthn credential used as the second factor.</summary>
    public const string WebAuthn = "WebAuthn";

    /// <summary>A TOTP code used as the second factor.</summary>
    public const string Totp = "TOTP";

    /// <summary>The password asked for as a second step after a passkey login.</summary>
    public const string Password = "Password";

    /// <summary>A recovery code in place of the second factor.</summary>
    public const string RecoveryCode = "RecoveryCode";

    /// <summary>
    /// The types whose failures count towards a ban, and whose successes end a user's walk. Authelia counts only
    /// <c>1FA</c>; we count every interactive factor on purpose, so that an attacker cannot get a fresh budget by
    /// switching to the passkey or second-step password path (peers-and-security §4b.6: the ban must also apply to
    /// passkey login). This is the one place that decides it.
    /// </summary>
    public static readonly IReadOnlySet<string> Regulated =
        new HashSet<string>(StringComparer.Ordinal) { OneFactor, Passkey, WebAuthn, Totp, Password, RecoveryCode };

    /// <summary>Every type the regulator accepts; an unknown string is a bug in the caller, not a new factor.</summary>
    public static readonly IReadOnlySet<string> All = Regulated;
}
