using System.ComponentModel;
namespace Portal.AccessControl;

internal sealed class DefinitionsOptions
{
    /// <summary>Named networks: name → list of IPs or CIDRs.</summary>
    [Description("Named networks (name: list of IPs or CIDRs), usable in rules' 'networks'.")]
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Network { get; init; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
}
