using System.ComponentModel;
using Portal.Configuration;
namespace Portal.AccessControl;

internal sealed class AccessControlOptions
{
    [Description("Policy when no rule matches.")]
    [ConfigValues("deny", "one_factor", "two_factor", "bypass")]
    public string DefaultPolicy { get; init; } = "deny";
    /// <summary>
    /// Beyond Authelia: what the authz endpoints do with a path that common backends read differently
    /// (<c>/secret/..;/public</c>): <c>strictest</c> decides on every reading and takes the strictest, <c>refuse</c>
    /// answers 400.
    /// </summary>
    [Description("Portal's own: for a path common backends read differently (/secret/..;/public), 'strictest' decides on every reading and enforces the strictest; 'refuse' answers 400.")]
    [ConfigValues("strictest", "refuse")]
    public string AmbiguousPaths { get; init; } = "strictest";
    /// <summary>Legacy named networks; merged into <c>definitions.network</c>.</summary>
    [Description("Legacy named networks ({name, networks}); prefer definitions.network.")]
    public IReadOnlyList<NamedNetworkOptions> Networks { get; init; } = [];
    [Description("Rules checked in order; the first whose every criterion matches decides.")]
    public IReadOnlyList<AccessControlRuleOptions> Rules { get; init; } = [];
}
