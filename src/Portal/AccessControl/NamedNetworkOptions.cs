namespace Portal.AccessControl;

internal sealed class NamedNetworkOptions
{
    public string Name { get; init; } = "";
    public IReadOnlyList<string> Networks { get; init; } = [];
}
