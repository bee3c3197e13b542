using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace Portal.Tests.WebAuthn;

/// <summary>
/// A FIDO MDS3 blob made for tests: a JWT (ES256) whose x5c chain is a signing certificate under a test metadata root,
/// standing in for the FIDO Alliance's. Nothing is downloaded: tests point <c>webauthn.metadata.path</c> at the file
/// and <c>root_certificate</c> at <see cref="RootPemPath"/>.
/// </summary>
internal sealed class TestMetadataBlob : IDisposable
{
    private readonly ECDsa _rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa _signerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly X509Certificate2 _root;
    private readonly X509Certificate2 _signer;
    private readonly JsonArray _entries = [];

    public TestMetadataBlob(string directory, string name = "Test Metadata")
    {
        Directory = directory;
        var rootRequest = new CertificateRequest($"CN={name} Root, O=Test Metadata Service, C=SE", _rootKey, HashAlgorithmName.SHA256);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        _root = rootRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(10));
        var signerRequest = new CertificateRequest($"CN={name} Signer, O=Test Metadata Service, C=SE", _signerKey, HashAlgorithmName.SHA256);
        signerRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        _signer = signerRequest.Create(_root, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5), [1, 2, 3, 4]);
        File.WriteAllText(RootPemPath, _root.ExportCertificatePem());
    }

    public string Directory { get; }

    public string RootPemPath => Path.Combine(Directory, "mds-root.pem");

    public string BlobPath => Path.Combine(Directory, "mds3.jwt");

    /// <summary>An authenticator model by AAGUID, whose attestation chains to <paramref name="vendorRoot"/>; status FIDO_CERTIFIED unless told.</summary>
    public TestMetadataBlob Add(Guid aaguid, string description, string vendorRootBase64, string status = "FIDO_CERTIFIED", string[]? attestationTypes = null) =>
        AddEntry(new JsonObject { ["aaguid"] = aaguid.ToString() }, description, vendorRootBase64, status, attestationTypes ?? ["basic_full"], "fido2");

    /// <summary>A U2F authenticator, found by its attestation certificate's key identifier (no AAGUID).</summary>
    public TestMetadataBlob AddU2f(X509Certificate2 attestationCertificate, string description, string vendorRootBase64, string status = "FIDO_CERTIFIED")
    {
        ArgumentNullException.ThrowIfNull(attestationCertificate);
#pragma warning disable CA5350 // MDS3 names U2F attestation certificates by the SHA-1 of their public key.
        var id = Convert.ToHexStringLower(SHA1.HashData(attestationCertificate.PublicKey.EncodedKeyValue.RawData));
#pragma warning restore CA5350
        return AddEntry(new JsonObject { ["attestationCertificateKeyIdentifiers"] = new JsonArray(id) }, description, vendorRootBase64, status, ["basic_full"], "u2f");
    }

    public TestMetadataBlob Clear()
    {
        _entries.Clear();
        return this;
    }

    /// <summary>Writes the signed blob to <see cref="BlobPath"/> and returns the JWT.</summary>
    public string Write(int number = 1, Action<JsonObject>? tamperPayload = null, bool corruptSignature = false)
    {
        var header = new JsonObject
        {
            ["alg"] = "ES256",
            ["typ"] = "JWT",
            ["x5c"] = new JsonArray(Convert.ToBase64String(_signer.RawData)),
        };
        var payload = new JsonObject
        {
            ["legalHeader"] = "test data, no legal meaning",
            ["no"] = number,
            ["nextUpdate"] = DateTimeOffset.UtcNow.AddDays(30).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ["entries"] = _entries.DeepClone(),
        };
        tamperPayload?.Invoke(payload);
        var signingInput = $"{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header.ToJsonString()))}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload.ToJsonString()))}";
        var signature = _signerKey.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        if (corruptSignature)
        {
            signature[^1] ^= 0x01;
        }
        var jwt = $"{signingInput}.{Base64Url.EncodeToString(signature)}";
        File.WriteAllText(BlobPath, jwt);
        return jwt;
    }

    /// <summary>The YAML for <c>webauthn.metadata</c> with this blob, offline.</summary>
    public string Yaml(string extraMetadataLines = "") =>
        $"""
          metadata:
            enabled: true
            path: '{BlobPath}'
            root_certificate: '{RootPemPath}'
        {extraMetadataLines}
        """;

    public void Dispose()
    {
        _root.Dispose();
        _signer.Dispose();
        _rootKey.Dispose();
        _signerKey.Dispose();
    }

    private TestMetadataBlob AddEntry(JsonObject entry, string description, string vendorRootBase64, string status, string[] attestationTypes, string protocolFamily)
    {
        entry["metadataStatement"] = new JsonObject
        {
            ["description"] = description,
            ["authenticatorVersion"] = 1,
            ["protocolFamily"] = protocolFamily,
            ["schema"] = 3,
            ["attestationTypes"] = new JsonArray([.. attestationTypes.Select(t => (JsonNode)t)]),
            ["attestationRootCertificates"] = new JsonArray(vendorRootBase64),
        };
        entry["statusReports"] = new JsonArray(new JsonObject { ["status"] = status, ["effectiveDate"] = "2024-01-01" });
        entry["timeOfLastStatusChange"] = "2024-01-01";
        _entries.Add(entry);
        return this;
    }
}
