namespace Portal.AccessControl;

internal sealed class AccessControlOptions
{
    public string DefaultPolicy { get; init; } = "deny";
    /// <summary>
    /// Beyond Authelia: what the authz endpoints do with a path that common backends read differently
    /// (<c>/secret/..;/public</c>): <c>strictest</c> decides on every reading and takes the strictest, <c>refuse</c>
    /// answers 400.
    /// </summary>
    public string AmbiguousPaths { get; init; } = "strictest";
    /// <summary>Legacy named networks; merged into <c>definitions.network</c>.</summary>
    public IReadOnlyList<NamedNetworkOptions> Networks { get; init; } = [];
    public IReadOnlyList<AccessControlRuleOptions> Rules { get; init; } = [];
}
