using System.ComponentModel;
using Portal.Configuration;
namespace Portal.Storage;

/// <summary><c>storage.postgres.tls</c>: set means the connection must be TLS (Authelia's reading).</summary>
internal sealed class PostgresTlsOptions
{
    /// <summary>The name the server's certificate must carry; the address's host when empty.</summary>
    [Description("The name the certificate must carry; the address's host when empty.")]
    public string ServerName { get; init; } = "";
    [Description("Do not check the server's certificate (testing only).")]
    public bool SkipVerify { get; init; }
    [Description("Lowest TLS version accepted.")]
    [ConfigValues("TLS1.2", "TLS1.3")]
    public string MinimumVersion { get; init; } = "TLS1.2";

    /// <summary>A PEM file with the client certificate (and its chain), for servers that ask for one.</summary>
    [Description("Client certificate: PEM inline or a PEM file.")]
    public string CertificateChain { get; init; } = "";

    /// <summary>The PEM private key of <see cref="CertificateChain"/>.</summary>
    [Description("The client certificate's key: PEM inline or a PEM file.")]
    public string PrivateKey { get; init; } = "";
}
