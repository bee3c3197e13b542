namespace Portal.AccessControl;

/// <summary>
/// A rule's <c>passkey_uv_two_factor</c> (beyond Authelia): whether a passkey assertion with the UV flag set, alone,
/// satisfies the rule's <c>two_factor</c>. Unset follows <c>webauthn.experimental_enable_passkey_uv_two_factors</c>.
/// </summary>
internal enum PasskeyUvTwoFactor
{
    /// <summary>The key is absent: the global switch decides.</summary>
    Global,

    /// <summary><c>allow</c>: a user-verified passkey counts as two factors for this rule.</summary>
    Allow,

    /// <summary><c>deny</c>: this rule needs a real second factor (something known and something held).</summary>
    Deny,
}
