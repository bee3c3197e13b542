using System.ComponentModel;
namespace Portal.FirstFactor;

internal sealed class DisableOption
{
    [Description("Turn the feature off.")]
    public bool Disable { get; init; }
}
