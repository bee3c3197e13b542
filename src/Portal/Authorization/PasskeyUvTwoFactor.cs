namespace Portal.Authorization;

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

internal static class PasskeyUvTwoFactorNames
{
    /// <summary>The rule key.</summary>
    public const string Key = "passkey_uv_two_factor";

    public const string Allow = "allow";
    public const string Deny = "deny";

    /// <summary>Exact and case-sensitive, like policies; null (key absent) is <see cref="PasskeyUvTwoFactor.Global"/>.</summary>
    public static bool TryParse(string? value, out PasskeyUvTwoFactor setting)
    {
        switch (value)
        {
            case null: setting = PasskeyUvTwoFactor.Global; return true;
            case Allow: setting = PasskeyUvTwoFactor.Allow; return true;
            case Deny: setting = PasskeyUvTwoFactor.Deny; return true;
            default: setting = PasskeyUvTwoFactor.Deny; return false;
        }
    }

    public static PasskeyUvTwoFactor Parse(string? value) =>
        TryParse(value, out var setting) ? setting : throw new ArgumentException($"unknown {Key} value '{value}'", nameof(value));

    /// <summary>The configuration spelling; null when the key is absent.</summary>
    public static string? Format(PasskeyUvTwoFactor setting) => setting switch
    {
        PasskeyUvTwoFactor.Global => null,
        PasskeyUvTwoFactor.Allow => Allow,
        PasskeyUvTwoFactor.Deny => Deny,
        _ => throw new ArgumentOutOfRangeException(nameof(setting), setting, null),
    };

    /// <summary>Whether a user-verified passkey alone counts as two factors: the rule's word, else the global switch.</summary>
    public static bool CountsAsTwoFactor(this PasskeyUvTwoFactor setting, bool globalSwitch) => setting switch
    {
        PasskeyUvTwoFactor.Allow => true,
        PasskeyUvTwoFactor.Deny => false,
        _ => globalSwitch,
    };
}
