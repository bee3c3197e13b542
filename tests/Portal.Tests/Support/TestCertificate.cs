using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Portal.Tests.Support;

/// <summary>A self-signed certificate for test listeners, written as PEM files the way an admin would configure them.</summary>
internal sealed class TestCertificate
{
    private TestCertificate(X509Certificate2 certificate, string certificateFile, string keyFile)
    {
        Certificate = certificate;
        CertificateFile = certificateFile;
        KeyFile = keyFile;
    }

    public X509Certificate2 Certificate { get; }
    public string CertificateFile { get; }
    public string KeyFile { get; }

    /// <param name="directory">where the PEM files go</param>
    /// <param name="names">DNS names (wildcards allowed), e.g. "*.example.com"</param>
    public static TestCertificate Create(string directory, params string[] names)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=portal-test", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in names)
        {
            san.AddDnsName(name);
        }
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var certificateFile = Path.Combine(directory, "gateway.crt");
        var keyFile = Path.Combine(directory, "gateway.key");
        File.WriteAllText(certificateFile, certificate.ExportCertificatePem());
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
        return new TestCertificate(X509CertificateLoader.LoadCertificate(certificate.RawData), certificateFile, keyFile);
    }

    /// <summary>Accepts exactly this certificate (the client pins it instead of trusting a CA).</summary>
    public bool Matches(X509Certificate? presented) =>
        presented is not null && presented.GetCertHash().AsSpan().SequenceEqual(Certificate.GetCertHash());
}
