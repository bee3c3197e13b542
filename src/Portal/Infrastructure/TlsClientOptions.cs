namespace Portal.Infrastructure;

internal sealed class TlsClientOptions
{
    public string ServerName { get; set; } = "";
    public bool SkipVerify { get; set; }
    public string MinimumVersion { get; set; } = "TLS1.2";
}
