using System.ComponentModel;
using Portal.Configuration;

namespace Portal.Infrastructure;

internal sealed class ServerTlsOptions
{
    [ConfigPath]
    [Description("PEM certificate file (with its chain).")]
    public string Certificate { get; init; } = "";
    [ConfigPath]
    [Description("PEM private key file.")]
    public string Key { get; init; } = "";
}
