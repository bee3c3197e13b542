namespace Portal.Infrastructure;

internal sealed class TlsClientOptions
{
    public string ServerName { get; init; } = "";
    public bool SkipVerify { get; init; }
    public string MinimumVersion { get; init; } = "TLS1.2";
}
