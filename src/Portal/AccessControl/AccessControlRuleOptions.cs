using Portal.Configuration;

namespace Portal.AccessControl;

/// <summary>One <c>access_control.rules</c> entry. A scalar is accepted wherever a list is.</summary>
internal sealed class AccessControlRuleOptions
{
    public List<string> Domain { get; set; } = [];
    public List<string> DomainRegex { get; set; } = [];
    public string Policy { get; set; } = "";
    /// <summary>Outer list OR, inner list AND.</summary>
    public List<List<string>> Subject { get; set; } = [];
    public List<string> Networks { get; set; } = [];
    public List<string> Resources { get; set; } = [];
    public List<string> Methods { get; set; } = [];
    /// <summary>Outer list OR, inner list AND.</summary>
    public List<List<AccessControlQueryOptions>> Query { get; set; } = [];
    /// <summary>Beyond Authelia: <c>allow</c> | <c>deny</c>; null follows the global passkey-UV switch.</summary>
    [ConfigKey("passkey_uv_two_factor")]
    public string? PasskeyUvTwoFactor { get; set; }
}
