namespace Portal.AccessControl;

/// <summary>The configuration spelling of <see cref="Policy"/>: <c>bypass|one_factor|two_factor|deny</c>.</summary>
internal static class PolicyNames
{
    public const string Bypass = "bypass";
    public const string OneFactor = "one_factor";
    public const string TwoFactor = "two_factor";
    public const string Deny = "deny";

    /// <summary>For error messages, in Authelia's order.</summary>
    public const string AllQuoted = "'bypass', 'one_factor', 'two_factor', 'deny'";

    /// <summary>Exact, case-sensitive: the YAML is case-sensitive and Authelia rejects <c>Deny</c>.</summary>
    public static bool TryParse(string? value, out Policy policy)
    {
        switch (value)
        {
            case Bypass: policy = Policy.Bypass; return true;
            case OneFactor: policy = Policy.OneFactor; return true;
            case TwoFactor: policy = Policy.TwoFactor; return true;
            case Deny: policy = Policy.Deny; return true;
            default: policy = Policy.Deny; return false;
        }
    }

    public static Policy Parse(string value) =>
        TryParse(value, out var policy) ? policy : throw new ArgumentException($"unknown policy '{value}'", nameof(value));

    public static string Format(Policy policy) => policy switch
    {
        Policy.Bypass => Bypass,
        Policy.OneFactor => OneFactor,
        Policy.TwoFactor => TwoFactor,
        Policy.Deny => Deny,
        _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, null),
    };

    public static string ToConfigString(this Policy policy) => Format(policy);
}
