namespace Portal.AccessControl;

internal sealed class DefinitionsOptions
{
    /// <summary>Named networks: name → list of IPs or CIDRs.</summary>
    public Dictionary<string, List<string>> Network { get; set; } = new(StringComparer.Ordinal);
}
