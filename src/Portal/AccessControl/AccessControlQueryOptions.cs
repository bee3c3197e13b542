using System.ComponentModel;
using Portal.Configuration;
namespace Portal.AccessControl;

internal sealed class AccessControlQueryOptions
{
    /// <summary>Empty means the default: <c>equal</c> when a value is given, else <c>present</c>.</summary>
    [Description("How the parameter is compared; empty means 'equal' when a value is given, else 'present'.")]
    [ConfigValues("", "equal", "not equal", "present", "absent", "pattern", "not pattern")]
    public string Operator { get; init; } = "";
    [Description("The query parameter's name. Required.")]
    public string Key { get; init; } = "";
    [Description("The value (a regex for the pattern operators).")]
    public string? Value { get; init; }
}
