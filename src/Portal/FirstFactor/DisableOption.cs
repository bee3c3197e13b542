namespace Portal.FirstFactor;

internal sealed class DisableOption
{
    public bool Disable { get; init; }
}
