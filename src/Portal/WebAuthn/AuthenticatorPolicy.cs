using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Fido2NetLib;
using Portal.Configuration;

namespace Portal.WebAuthn;

/// <summary>
/// Which authenticators may register and sign in: FIDO metadata (<c>webauthn.metadata</c>, when enabled) and
/// <c>webauthn.filtering</c>. It runs after the library verified the attestation statement's signature, so the
/// certificate chain it reads is the one that signed. Without metadata nothing anchors that chain, so the AAGUID is
/// what the authenticator claims; with metadata, <c>permitted_aaguids</c> only accepts an AAGUID whose attestation
/// chain verified to the roots its metadata entry lists.
/// </summary>
internal sealed partial class AuthenticatorPolicy(WebAuthnOptions options, IFidoMetadata? metadata, TimeProvider time, ILogger<AuthenticatorPolicy> logger)
{
    private WebAuthnMetadataOptions Mds => options.Metadata;

    private bool MetadataOn => options.Metadata.Enabled && metadata is not null;

    public async Task<PolicyDecision> CheckRegistrationAsync(Guid aaguid, bool backupEligible, AttestationFacts attestation, string attestationType,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attestation);
        var certificateName = CertificateName(attestation.Certificates);
        if (!MetadataOn)
        {
            return new PolicyDecision(Filter(aaguid, backupEligible, attested: false, attestation.Format), certificateName, false);
        }
        var (blob, error) = await metadata!.GetAsync(cancellationToken);
        if (blob is null)
        {
            return new PolicyDecision($"FIDO metadata is enabled but not available ({error})", certificateName, false);
        }
        var entry = blob.Find(aaguid, attestation.Certificates);
        var name = entry?.MetadataStatement?.Description is { Length: > 0 } description ? description : certificateName;
        if (entry is null && Mds.ValidateEntry && !(aaguid == Guid.Empty && Mds.ValidateEntryPermitZeroAaguid))
        {
            return new PolicyDecision($"AAGUID {aaguid} has no FIDO metadata entry (validate_entry)", name, false);
        }
        if (StatusRefusal(entry) is { } status)
        {
            return new PolicyDecision(status, name, false);
        }
        var trusted = false;
        if (entry is not null && attestation.Certificates.Count > 0)
        {
            trusted = ChainsToEntry(attestation.Certificates, entry, out var chainError);
            if (!trusted && Mds.ValidateTrustAnchor)
            {
                return new PolicyDecision($"the attestation certificate chain does not lead to a root of the metadata entry for {aaguid} ({chainError})", name, false);
            }
        }
        else if (Mds.ValidateTrustAnchor && entry?.MetadataStatement?.AttestationTypes is { Length: > 0 } types && !AcceptsWithoutChain(types, attestationType))
        {
            return new PolicyDecision($"the metadata entry for {aaguid} expects a certificate chain ({string.Join(", ", types)}), the attestation has none ({attestationType})", name, false);
        }
        return new PolicyDecision(Filter(aaguid, backupEligible, trusted, attestation.Format), name, trusted);
    }

    /// <summary>Filtering, and with metadata the authenticator's status now (it may have changed since registration).</summary>
    public async Task<string?> CheckAssertionAsync(WebAuthnCredential stored, bool backupEligible, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (MetadataOn && Mds.ValidateStatus)
        {
            var (blob, error) = await metadata!.GetAsync(cancellationToken);
            if (blob is null)
            {
                return $"FIDO metadata is enabled but not available ({error})";
            }
            if (StatusRefusal(blob.Find(stored.Aaguid, stored.AttestationChain)) is { } status)
            {
                return status;
            }
        }
        return Filter(stored.Aaguid, backupEligible, MetadataOn && stored.AttestationTrusted, stored.AttestationFormat);
    }

    /// <summary>What the metadata says about an authenticator, line by line (<c>portal webauthn metadata check</c>).</summary>
    public static IEnumerable<string> Explain(FidoMetadataBlob blob, Guid aaguid, WebAuthnMetadataOptions settings)
    {
        ArgumentNullException.ThrowIfNull(blob);
        ArgumentNullException.ThrowIfNull(settings);
        yield return $"metadata blob: number {blob.Number}, next update {blob.Payload.NextUpdate}, {blob.Payload.Entries?.Length ?? 0} entries";
        var entry = blob.Find(aaguid, []);
        if (entry is null)
        {
            yield return $"AAGUID {aaguid}: no entry";
            yield return settings.ValidateEntry && !(aaguid == Guid.Empty && settings.ValidateEntryPermitZeroAaguid)
                ? "registration: refused (validate_entry)"
                : "registration: not refused by metadata (validate_entry is off, or a zero AAGUID is permitted)";
            yield break;
        }
        yield return $"AAGUID {aaguid}: {entry.MetadataStatement?.Description ?? "(no description)"}";
        yield return $"attestation types: {string.Join(", ", entry.MetadataStatement?.AttestationTypes ?? [])}";
        foreach (var root in entry.MetadataStatement?.AttestationRootCertificates ?? [])
        {
            yield return $"attestation root: {RootSubject(root)}";
        }
        foreach (var report in entry.StatusReports ?? [])
        {
            yield return $"status report: {report.Status} (effective {report.EffectiveDate ?? "unknown"})";
        }
        var latest = entry.GetLatestStatusReport();
        yield return $"latest status: {latest?.Status.ToString() ?? "none"}";
        yield return StatusRefusal(entry, settings) is { } refusal
            ? $"registration and sign-in: refused ({refusal})"
            : "registration: permitted by its status" + (settings.ValidateTrustAnchor ? " if the attestation chain leads to one of the roots above" : "");
    }

    private string? StatusRefusal(MetadataBLOBPayloadEntry? entry) => StatusRefusal(entry, Mds);

    private static string? StatusRefusal(MetadataBLOBPayloadEntry? entry, WebAuthnMetadataOptions settings)
    {
        if (!settings.ValidateStatus || entry?.GetLatestStatusReport() is not { } latest)
        {
            return null;
        }
        var status = latest.Status.ToString();
        if (settings.ValidateStatusPermitted.Count > 0 && !settings.ValidateStatusPermitted.Contains(status, StringComparer.Ordinal))
        {
            return $"metadata status {status} is not in validate_status_permitted";
        }
        return settings.ValidateStatusProhibited.Contains(status, StringComparer.Ordinal) ? $"metadata status {status} is prohibited" : null;
    }

    /// <summary>Self attestation (basic_surrogate) and none carry no chain; only an entry that allows them accepts that.</summary>
    private static bool AcceptsWithoutChain(string[] metadataTypes, string attestationType) => attestationType switch
    {
        "self" => metadataTypes.Contains("basic_surrogate", StringComparer.Ordinal),
        "none" => metadataTypes.Contains("none", StringComparer.Ordinal),
        _ => false,
    };

    private bool ChainsToEntry(IReadOnlyList<byte[]> certificates, MetadataBLOBPayloadEntry entry, out string error)
    {
        var roots = new X509Certificate2Collection();
        var chainCerts = new List<X509Certificate2>();
        try
        {
            foreach (var root in entry.MetadataStatement?.AttestationRootCertificates ?? [])
            {
                roots.Add(X509CertificateLoader.LoadCertificate(Convert.FromBase64String(root)));
            }
            if (roots.Count == 0)
            {
                error = "the entry lists no attestation root";
                return false;
            }
            chainCerts.AddRange(certificates.Select(c => X509CertificateLoader.LoadCertificate(c)));
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(roots);
            // Offline: attestation CAs' CRLs are not fetched. A compromised batch shows in the metadata status instead.
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.VerificationTime = time.GetUtcNow().UtcDateTime;
            chain.ChainPolicy.ExtraStore.AddRange(chainCerts.Skip(1).ToArray());
            if (chain.Build(chainCerts[0]))
            {
                error = "";
                return true;
            }
            error = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
            return false;
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            error = e.Message;
            return false;
        }
        finally
        {
            foreach (var c in chainCerts.Concat(roots))
            {
                c.Dispose();
            }
        }
    }

    /// <summary><c>webauthn.filtering</c>: null when allowed, else why not.</summary>
    private string? Filter(Guid aaguid, bool backupEligible, bool attested, string format)
    {
        var filtering = options.Filtering;
        if (filtering.ProhibitBackupEligibility && backupEligible)
        {
            return "backup-eligible credentials are prohibited";
        }
        if (filtering.PermittedAaguids.Count == 0 && filtering.ProhibitedAaguids.Count == 0)
        {
            return null;
        }
        if (!attested)
        {
            // Without verified attestation the AAGUID is self-reported: a hint, not a guarantee. Say so each time.
            LogUnattestedAaguid(logger, aaguid, format);
        }
        if (filtering.PermittedAaguids.Count > 0)
        {
            if (!filtering.PermittedAaguids.Any(a => Guid.TryParse(a, out var g) && g == aaguid))
            {
                return $"AAGUID {aaguid} is not permitted";
            }
            if (MetadataOn && !attested)
            {
                return $"AAGUID {aaguid} is permitted, but its attestation did not verify to a metadata root";
            }
        }
        return filtering.ProhibitedAaguids.Any(a => Guid.TryParse(a, out var g) && g == aaguid) ? $"AAGUID {aaguid} is prohibited" : null;
    }

    private static string CertificateName(IReadOnlyList<byte[]> chain)
    {
        if (chain.Count == 0)
        {
            return "";
        }
        try
        {
            using var leaf = X509CertificateLoader.LoadCertificate(chain[0]);
            var organization = leaf.SubjectName.EnumerateRelativeDistinguishedNames()
                .Where(n => n.GetSingleElementType().Value == "2.5.4.10").Select(n => n.GetSingleElementValue()).FirstOrDefault();
            return organization ?? leaf.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        }
        catch (CryptographicException)
        {
            return "";
        }
    }

    private static string RootSubject(string base64)
    {
        try
        {
            using var root = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(base64));
            return root.Subject;
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            return "(unreadable certificate)";
        }
    }

    [LoggerMessage(EventId = 1501, Level = LogLevel.Debug, Message = "AAGUID filtering on {Aaguid} (format {Format}): unattested, the authenticator reported it itself")]
    private static partial void LogUnattestedAaguid(ILogger logger, Guid aaguid, string format);
}
