using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Portal.Tests.WebAuthn;

/// <summary>
/// A made-up authenticator vendor's attestation CA (P-256): a self-signed root and the batch certificates it issues,
/// shaped as WebAuthn §8.2.1 asks of a packed attestation certificate (C, O, OU "Authenticator Attestation", CN; not
/// a CA; the AAGUID extension when given).
/// </summary>
internal sealed class TestAttestationCa : IDisposable
{
    private const string AaguidExtensionOid = "1.3.6.1.4.1.45724.1.1.4";

    public TestAttestationCa(string organization)
    {
        Organization = organization;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={organization} Attestation Root, O={organization}, C=SE", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        Root = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(10));
    }

    public string Organization { get; }

    /// <summary>With its private key.</summary>
    public X509Certificate2 Root { get; }

    public string RootBase64 => Convert.ToBase64String(Root.RawData);

    /// <summary>A batch attestation certificate with its private key; <paramref name="aaguid"/> goes into the FIDO AAGUID extension.</summary>
    public X509Certificate2 Issue(string model, Guid? aaguid = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={model}, OU=Authenticator Attestation, O={Organization}, C=SE", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        if (aaguid is { } id)
        {
            var writer = new AsnWriter(AsnEncodingRules.DER);
            writer.WriteOctetString(id.ToByteArray(bigEndian: true));
            request.CertificateExtensions.Add(new X509Extension(AaguidExtensionOid, writer.Encode(), false));
        }
        var serial = RandomNumberGenerator.GetBytes(8);
        serial[0] &= 0x7F;
        using var issued = request.Create(Root, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5), serial);
        return issued.CopyWithPrivateKey(key);
    }

    public void Dispose() => Root.Dispose();
}
