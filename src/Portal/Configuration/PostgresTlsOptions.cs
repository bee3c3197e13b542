namespace Portal.Configuration;

/// <summary><c>storage.postgres.tls</c>: set means the connection must be TLS (Authelia's reading).</summary>
internal sealed class PostgresTlsOptions
{
    /// <summary>The name the server's certificate must carry; the address's host when empty.</summary>
    public string ServerName { get; set; } = "";
    public bool SkipVerify { get; set; }
    public string MinimumVersion { get; set; } = "TLS1.2";

    /// <summary>A PEM file with the client certificate (and its chain), for servers that ask for one.</summary>
    public string CertificateChain { get; set; } = "";

    /// <summary>The PEM private key of <see cref="CertificateChain"/>.</summary>
    public string PrivateKey { get; set; } = "";
}
