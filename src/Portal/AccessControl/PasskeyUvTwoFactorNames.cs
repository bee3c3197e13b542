namespace Portal.AccessControl;

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
