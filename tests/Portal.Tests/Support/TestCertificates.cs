using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Portal.Tests.Support;

/// <summary>Self-signed certificates for TLS listeners in tests (portal, gateway, nginx, caddy).</summary>
internal static class TestCertificates
{
    public static readonly string[] ExampleHosts = ["example.com", "*.example.com", "example.net", "*.example.net", "localhost"];

    /// <summary>Writes <c>cert.pem</c> and <c>key.pem</c> (PKCS#8) into <paramref name="directory"/> and returns their paths.</summary>
    public static (string CertificatePath, string KeyPath) WritePem(string directory, params string[] dnsNames)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=portal-tests", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in dnsNames.Length > 0 ? dnsNames : ExampleHosts)
        {
            san.AddDnsName(name);
        }
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var certPath = Path.Combine(directory, "cert.pem");
        var keyPath = Path.Combine(directory, "key.pem");
        File.WriteAllText(certPath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certPath, keyPath);
    }

    /// <summary>A validation callback that accepts exactly the certificate in <paramref name="certificatePath"/>.</summary>
    public static System.Net.Security.RemoteCertificateValidationCallback TrustOnly(string certificatePath)
    {
        using var trusted = X509Certificate2.CreateFromPem(File.ReadAllText(certificatePath));
        var thumbprint = trusted.GetCertHashString(HashAlgorithmName.SHA256);
        return (_, presented, _, _) => presented is not null
            && string.Equals(presented.GetCertHashString(HashAlgorithmName.SHA256), thumbprint, StringComparison.Ordinal);
    }
}
