namespace Portal.AccessControl;

internal sealed class AccessControlOptions
{
    public string DefaultPolicy { get; set; } = "deny";
    /// <summary>
    /// Beyond Authelia: what the authz endpoints do with a path that common backends read differently
    /// (<c>/secret/..;/public</c>): <c>strictest</c> decides on every reading and takes the strictest, <c>refuse</c>
    /// answers 400.
    /// </summary>
    public string AmbiguousPaths { get; set; } = "strictest";
    /// <summary>Legacy named networks; merged into <c>definitions.network</c>.</summary>
    public List<NamedNetworkOptions> Networks { get; set; } = [];
    public List<AccessControlRuleOptions> Rules { get; set; } = [];
}
