using System.ComponentModel;
using Portal.Configuration;
namespace Portal.Infrastructure;

internal sealed class TlsClientOptions
{
    [Description("The name the server's certificate must carry; the host when empty.")]
    public string ServerName { get; init; } = "";
    [Description("Do not check the server's certificate (testing only).")]
    public bool SkipVerify { get; init; }
    [Description("Lowest TLS version accepted.")]
    [ConfigValues("TLS1.2", "TLS1.3")]
    public string MinimumVersion { get; init; } = "TLS1.2";
}
