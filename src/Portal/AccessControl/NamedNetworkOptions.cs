using System.ComponentModel;
namespace Portal.AccessControl;

internal sealed class NamedNetworkOptions
{
    [Description("The network's name.")]
    public string Name { get; init; } = "";
    [Description("IPs or CIDRs.")]
    public IReadOnlyList<string> Networks { get; init; } = [];
}
