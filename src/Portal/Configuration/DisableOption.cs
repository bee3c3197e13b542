namespace Portal.Configuration;

internal sealed class DisableOption
{
    public bool Disable { get; set; }
}
