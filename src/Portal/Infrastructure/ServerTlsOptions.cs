using Portal.Configuration;

namespace Portal.Infrastructure;

internal sealed class ServerTlsOptions
{
    [ConfigPath]
    public string Certificate { get; init; } = "";
    [ConfigPath]
    public string Key { get; init; } = "";
}
