namespace Portal.AccessControl;

internal sealed class NamedNetworkOptions
{
    public string Name { get; set; } = "";
    public List<string> Networks { get; set; } = [];
}
