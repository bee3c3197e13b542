using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Fido2NetLib;
using Fido2NetLib.Serialization;

namespace Portal.WebAuthn;

/// <summary>
/// A verified FIDO MDS3 blob. The blob is a JWT whose header carries the signing chain (<c>x5c</c>); it is accepted
/// only if that chain leads to the configured root and the leaf's key made the signature (MDS3 §3.1.7). Revocation
/// of the chain is not checked: that needs the CRLs online, and the portal does not assume a network.
/// </summary>
internal sealed class FidoMetadataBlob
{
    private readonly Dictionary<Guid, MetadataBLOBPayloadEntry> _byAaguid;
    private readonly Dictionary<string, MetadataBLOBPayloadEntry> _byKeyIdentifier;

    private FidoMetadataBlob(MetadataBLOBPayload payload)
    {
        Payload = payload;
        _byAaguid = [];
        _byKeyIdentifier = new(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in payload.Entries ?? [])
        {
            if (entry.AaGuid is { } aaguid && aaguid != Guid.Empty)
            {
                _byAaguid.TryAdd(aaguid, entry);
            }
            foreach (var id in entry.AttestationCertificateKeyIdentifiers ?? [])
            {
                _byKeyIdentifier.TryAdd(id, entry);
            }
        }
    }

    public MetadataBLOBPayload Payload { get; }

    public int Number => Payload.Number;

    /// <summary><c>nextUpdate</c>, or null when it does not parse.</summary>
    public DateTimeOffset? NextUpdate =>
        DateTimeOffset.TryParse(Payload.NextUpdate, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var next) ? next : null;

    /// <summary>The entry for an AAGUID (FIDO2 authenticators) or, failing that, for the attestation certificate's key identifier (U2F).</summary>
    public MetadataBLOBPayloadEntry? Find(Guid aaguid, IReadOnlyList<byte[]> attestationChain)
    {
        if (aaguid != Guid.Empty && _byAaguid.TryGetValue(aaguid, out var entry))
        {
            return entry;
        }
        foreach (var der in attestationChain.Take(1))
        {
            if (KeyIdentifier(der) is { } id && _byKeyIdentifier.TryGetValue(id, out var byKey))
            {
                return byKey;
            }
        }
        return null;
    }

    /// <summary>The subject key identifier MDS uses for U2F entries: SHA-1 of the certificate's public key bits, in hex.</summary>
    public static string? KeyIdentifier(byte[] certificateDer)
    {
        try
        {
            using var certificate = X509CertificateLoader.LoadCertificate(certificateDer);
#pragma warning disable CA5350 // MDS3 defines attestationCertificateKeyIdentifiers as SHA-1 key identifiers; a lookup key, not a security check.
            return Convert.ToHexStringLower(SHA1.HashData(certificate.PublicKey.EncodedKeyValue.RawData));
#pragma warning restore CA5350
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    /// <summary>Verifies and parses a blob; null and <paramref name="error"/> when it is not acceptable.</summary>
    public static FidoMetadataBlob? Parse(string jwt, X509Certificate2 root, DateTimeOffset now, out string error)
    {
        ArgumentNullException.ThrowIfNull(jwt);
        ArgumentNullException.ThrowIfNull(root);
        error = "";
        var parts = jwt.Trim().Split('.');
        if (parts.Length != 3)
        {
            error = "the blob is not a JWT (header.payload.signature)";
            return null;
        }
        List<X509Certificate2> chain = [];
        try
        {
            using var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0]));
            var alg = header.RootElement.TryGetProperty("alg", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString()! : "";
            if (!header.RootElement.TryGetProperty("x5c", out var x5c) || x5c.ValueKind != JsonValueKind.Array || x5c.GetArrayLength() == 0)
            {
                error = "the blob's header has no x5c certificate chain";
                return null;
            }
            chain.AddRange(x5c.EnumerateArray().Select(c => X509CertificateLoader.LoadCertificate(Convert.FromBase64String(c.GetString() ?? ""))));
            if (!ChainsTo(chain, root, now, out error))
            {
                return null;
            }
            var signed = Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}");
            if (!VerifySignature(alg, chain[0], signed, Base64Url.DecodeFromChars(parts[2])))
            {
                error = $"the blob's signature ({alg}) does not verify with its signing certificate";
                return null;
            }
            var payload = JsonSerializer.Deserialize(Base64Url.DecodeFromChars(parts[1]), FidoModelSerializerContext.Default.MetadataBLOBPayload);
            if (payload is null)
            {
                error = "the blob's payload is empty";
                return null;
            }
            return new FidoMetadataBlob(payload);
        }
        catch (Exception e) when (e is FormatException or JsonException or CryptographicException or ArgumentException or NotSupportedException or InvalidOperationException)
        {
            error = $"the blob could not be read: {e.Message}";
            return null;
        }
        finally
        {
            foreach (var certificate in chain)
            {
                certificate.Dispose();
            }
        }
    }

    private static bool ChainsTo(List<X509Certificate2> certificates, X509Certificate2 root, DateTimeOffset now, out string error)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        chain.ChainPolicy.ExtraStore.AddRange(certificates.Skip(1).ToArray());
        if (!chain.Build(certificates[0]))
        {
            error = "the blob's signing chain does not lead to the metadata root certificate: "
                + string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
            return false;
        }
        var top = chain.ChainElements[^1].Certificate;
        error = top.RawData.AsSpan().SequenceEqual(root.RawData) ? "" : "the blob's signing chain ends at another root";
        return error.Length == 0;
    }

    private static bool VerifySignature(string alg, X509Certificate2 signer, byte[] data, byte[] signature)
    {
        if (alg.Length != 5)
        {
            return false;
        }
        var hash = alg[^3..] switch
        {
            "256" => HashAlgorithmName.SHA256,
            "384" => HashAlgorithmName.SHA384,
            "512" => HashAlgorithmName.SHA512,
            _ => default,
        };
        if (hash == default)
        {
            return false;
        }
        switch (alg[..2])
        {
            case "ES":
                using (var ec = signer.GetECDsaPublicKey())
                {
                    return ec is not null && ec.VerifyData(data, signature, hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
                }
            case "RS":
            case "PS":
                using (var rsa = signer.GetRSAPublicKey())
                {
                    return rsa is not null && rsa.VerifyData(data, signature, hash, alg[0] == 'R' ? RSASignaturePadding.Pkcs1 : RSASignaturePadding.Pss);
                }
            default:
                return false;
        }
    }
}
