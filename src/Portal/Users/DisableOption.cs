namespace Portal.Users;

internal sealed class DisableOption
{
    public bool Disable { get; set; }
}
