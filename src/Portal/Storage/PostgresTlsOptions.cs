namespace Portal.Storage;

/// <summary><c>storage.postgres.tls</c>: set means the connection must be TLS (Authelia's reading).</summary>
internal sealed class PostgresTlsOptions
{
    /// <summary>The name the server's certificate must carry; the address's host when empty.</summary>
    public string ServerName { get; init; } = "";
    public bool SkipVerify { get; init; }
    public string MinimumVersion { get; init; } = "TLS1.2";

    /// <summary>A PEM file with the client certificate (and its chain), for servers that ask for one.</summary>
    public string CertificateChain { get; init; } = "";

    /// <summary>The PEM private key of <see cref="CertificateChain"/>.</summary>
    public string PrivateKey { get; init; } = "";
}
