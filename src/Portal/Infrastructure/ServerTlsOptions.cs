namespace Portal.Infrastructure;

internal sealed class ServerTlsOptions
{
    public string Certificate { get; set; } = "";
    public string Key { get; set; } = "";
}
