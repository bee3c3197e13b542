using Portal.Tests.Support;

namespace Portal.Tests.Browser;

/// <summary>
/// A portal serving TLS itself, so a browser mapped to its port sees https://auth.example.com with Secure cookies,
/// mailing through a real SMTP server; and the HTTP client a reverse proxy in front of the apps would use.
/// </summary>
internal sealed class TlsPortal : IAsyncDisposable
{
    private readonly TempDirectory _dir;
    private readonly SmtpPortal _portal;

    private TlsPortal(TempDirectory dir, SmtpPortal portal, TestCertificate certificate)
    {
        _dir = dir;
        _portal = portal;
        ProxyClient = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            SslOptions = { RemoteCertificateValidationCallback = (_, cert, _, _) => certificate.Matches(cert) },
        });
    }

    public PortalTestHost Host => _portal.Host;

    public SmtpServer Smtp => _portal.Smtp;

    public int Port => Host.BaseAddress.Port;

    /// <summary>Talks to the portal as a proxy would (trusts exactly the portal's certificate).</summary>
    public HttpClient ProxyClient { get; }

    /// <param name="extraYaml">more configuration, e.g. a <c>webauthn</c> section</param>
    public static async Task<TlsPortal> StartAsync(string extraYaml = "")
    {
        var dir = new TempDirectory();
        try
        {
            var certificate = TestCertificate.Create(dir.Path, "*.example.com", "example.com");
            var portal = await SmtpPortal.StartAsync($"""
                server:
                  tls:
                    certificate: '{certificate.CertificateFile}'
                    key: '{certificate.KeyFile}'
                """ + "\n" + extraYaml);
            return new TlsPortal(dir, portal, certificate);
        }
        catch
        {
            dir.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        ProxyClient.Dispose();
        await _portal.DisposeAsync();
        _dir.Dispose();
    }
}
