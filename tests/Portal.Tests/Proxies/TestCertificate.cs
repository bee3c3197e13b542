using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Portal.Tests.Proxies;

/// <summary>
/// A self-signed certificate for <c>example.com</c> and <c>*.example.com</c>, written as PEM files for the proxy;
/// clients trust exactly this certificate and nothing else.
/// </summary>
internal sealed class TestCertificate : IDisposable
{
    public TestCertificate(string directory)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=*.example.com", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("*.example.com");
        names.AddDnsName("example.com");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        Certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        CertificatePath = Path.Combine(directory, "example.com.crt");
        KeyPath = Path.Combine(directory, "example.com.key");
        File.WriteAllText(CertificatePath, Certificate.ExportCertificatePem());
        File.WriteAllText(KeyPath, key.ExportPkcs8PrivateKeyPem());
    }

    public X509Certificate2 Certificate { get; }
    public string CertificatePath { get; }
    public string KeyPath { get; }

    public bool IsThis(X509Certificate? presented) =>
        presented is not null && presented.GetCertHashString() == Certificate.GetCertHashString();

    public void Dispose() => Certificate.Dispose();
}
