namespace Portal.AccessControl;

internal sealed class AccessControlQueryOptions
{
    /// <summary>Empty means the default: <c>equal</c> when a value is given, else <c>present</c>.</summary>
    public string Operator { get; init; } = "";
    public string Key { get; init; } = "";
    public string? Value { get; init; }
}
