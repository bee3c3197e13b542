namespace Portal.AccessControl;

internal sealed class DefinitionsOptions
{
    /// <summary>Named networks: name → list of IPs or CIDRs.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Network { get; init; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
}
