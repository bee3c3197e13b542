using Portal.Configuration;

namespace Portal.AccessControl;

/// <summary>One <c>access_control.rules</c> entry. A scalar is accepted wherever a list is.</summary>
internal sealed class AccessControlRuleOptions
{
    public IReadOnlyList<string> Domain { get; init; } = [];
    public IReadOnlyList<string> DomainRegex { get; init; } = [];
    public string Policy { get; init; } = "";
    /// <summary>Outer list OR, inner list AND.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Subject { get; init; } = [];
    public IReadOnlyList<string> Networks { get; init; } = [];
    public IReadOnlyList<string> Resources { get; init; } = [];
    public IReadOnlyList<string> Methods { get; init; } = [];
    /// <summary>Outer list OR, inner list AND.</summary>
    public IReadOnlyList<IReadOnlyList<AccessControlQueryOptions>> Query { get; init; } = [];
    /// <summary>Beyond Authelia: <c>allow</c> | <c>deny</c>; null follows the global passkey-UV switch.</summary>
    [ConfigKey("passkey_uv_two_factor")]
    public string? PasskeyUvTwoFactor { get; init; }
}
