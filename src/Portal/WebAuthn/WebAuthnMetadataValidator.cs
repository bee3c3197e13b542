using System.Security.Cryptography;
using Fido2NetLib;
using Portal.Configuration;

namespace Portal.WebAuthn;

/// <summary>
/// <c>webauthn.metadata</c>. A configured blob file is read and verified here, so a blob that validate-config accepts is
/// one serve can use, and a bad one is reported with its YAML path before anything starts.
/// </summary>
internal static class WebAuthnMetadataValidator
{
    public static void Validate(WebAuthnOptions webauthn, ConfigDiagnostics diag) => Validate(webauthn, diag, TimeProvider.System);

    internal static void Validate(WebAuthnOptions webauthn, ConfigDiagnostics diag, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(webauthn);
        ArgumentNullException.ThrowIfNull(diag);
        const string Path = "webauthn.metadata";
        var metadata = webauthn.Metadata;
        foreach (var (key, list) in new[] { ("validate_status_permitted", metadata.ValidateStatusPermitted), ("validate_status_prohibited", metadata.ValidateStatusProhibited) })
        {
            for (var i = 0; i < list.Count; i++)
            {
                if (!Enum.TryParse<AuthenticatorStatus>(list[i], ignoreCase: false, out _) || int.TryParse(list[i], out _))
                {
                    diag.Error($"{Path}.{key}[{i}]", $"'{list[i]}' is not a FIDO authenticator status such as 'REVOKED' or 'FIDO_CERTIFIED_L1'");
                }
            }
        }
        var rootOk = true;
        if (metadata.RootCertificate.Length > 0)
        {
            try
            {
                using var _ = FidoMetadataSource.LoadRoot(metadata.RootCertificate);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
            {
                rootOk = false;
                diag.Error(Path, "root_certificate", $"'{metadata.RootCertificate}' is not a readable PEM certificate: {e.Message}");
            }
        }
        if (!metadata.Enabled)
        {
            return;
        }
        if (metadata.Path.Length > 0)
        {
            if (!File.Exists(metadata.Path))
            {
                diag.Error(Path, "path", $"'{metadata.Path}' does not exist");
            }
            else if (rootOk && FidoMetadataSource.ReadFile(metadata.Path, metadata.RootCertificate, time.GetUtcNow(), out var error) is null)
            {
                diag.Error(Path, "path", $"'{metadata.Path}' is not a usable MDS3 blob: {error}");
            }
        }
        else
        {
            if (!Uri.TryCreate(metadata.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
            {
                diag.Error(Path, "url", $"must be an http(s) URL when 'path' is empty but it's configured as '{metadata.Url}'");
            }
            if (metadata.CachePath.Length == 0)
            {
                diag.Warning(Path, "cache_path", "is empty: the downloaded blob is kept in memory only, so a restart without network refuses registrations until a download works");
            }
            else if (System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(metadata.CachePath)) is { } directory && !Directory.Exists(directory))
            {
                diag.Error(Path, "cache_path", $"the directory '{directory}' does not exist");
            }
        }
        if (webauthn.AttestationConveyancePreference == "none" && (metadata.ValidateEntry || webauthn.Filtering.PermittedAaguids.Count > 0))
        {
            diag.Warning("webauthn", "attestation_conveyance_preference",
                "is 'none' while metadata is enabled: browsers may then zero the AAGUID and drop the attestation, so 'validate_entry' and 'permitted_aaguids' refuse those registrations");
        }
    }
}
