using System.ComponentModel;
using Portal.Configuration;

namespace Portal.AccessControl;

/// <summary>One <c>access_control.rules</c> entry. A scalar is accepted wherever a list is.</summary>
internal sealed class AccessControlRuleOptions
{
    [Description("Hosts: exact, '*.example.com', or '{user}'/'{group}' followed by the rest of the host.")]
    public IReadOnlyList<string> Domain { get; init; } = [];
    [Description("Host regexes; named groups User and Group must capture the username or one of the user's groups.")]
    public IReadOnlyList<string> DomainRegex { get; init; } = [];
    [Description("What the rule requires. Required.")]
    [ConfigValues("bypass", "one_factor", "two_factor", "deny")]
    public string Policy { get; init; } = "";
    /// <summary>Outer list OR, inner list AND.</summary>
    [Description("'user:x' or 'group:y'; outer list OR, inner list AND.")]
    public IReadOnlyList<IReadOnlyList<string>> Subject { get; init; } = [];
    [Description("Client IPs, CIDRs or names from definitions.network.")]
    public IReadOnlyList<string> Networks { get; init; } = [];
    [Description("Regexes on path?query (anchor with '^'); named groups User and Group bind to the user.")]
    public IReadOnlyList<string> Resources { get; init; } = [];
    [Description("HTTP methods.")]
    public IReadOnlyList<string> Methods { get; init; } = [];
    /// <summary>Outer list OR, inner list AND.</summary>
    [Description("Query-string criteria: outer list OR, inner list AND of {operator, key, value}.")]
    public IReadOnlyList<IReadOnlyList<AccessControlQueryOptions>> Query { get; init; } = [];
    /// <summary>Beyond Authelia: <c>allow</c> | <c>deny</c>; null follows the global passkey-UV switch.</summary>
    [ConfigKey("passkey_uv_two_factor")]
    [Description("Portal's own, two_factor rules only: 'allow' lets a passkey sign-in with user verification count as two factors here; 'deny' always asks for the password too; unset follows webauthn.experimental_enable_passkey_uv_two_factors.")]
    [ConfigValues("allow", "deny")]
    public string? PasskeyUvTwoFactor { get; init; }
}
