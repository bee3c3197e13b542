using Portal.Configuration;
using static Portal.Configuration.ConfigChecks;

namespace Portal.WebAuthn;

/// <summary>Checks the <c>webauthn</c> section, with Authelia's messages where it has one.</summary>
internal static class WebAuthnValidator
{
    public static void Validate(PortalOptions options, ConfigDiagnostics diag)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(diag);
        var webauthn = options.WebAuthn;
        const string Path = "webauthn";
        if (webauthn.Disable && webauthn.EnablePasskeyLogin)
        {
            diag.Error(Path, "enable_passkey_login", "is true but it must be false when 'disable' is true");
        }
        if (webauthn.ExperimentalEnablePasskeyUvTwoFactors && !webauthn.EnablePasskeyLogin)
        {
            diag.Error(Path, "experimental_enable_passkey_uv_two_factors", "is true but it must be false when 'enable_passkey_login' is false");
        }
        if (webauthn.ExperimentalEnablePasskeyUpgrade && !webauthn.EnablePasskeyLogin)
        {
            diag.Error(Path, "experimental_enable_passkey_upgrade", "is true but it must be false when 'enable_passkey_login' is false");
        }
        if (webauthn.DisplayName.Length == 0)
        {
            diag.Error(Path, "display_name", "must not be empty");
        }
        RequireOneOf(diag, Path, "attestation_conveyance_preference", webauthn.AttestationConveyancePreference, "none", "indirect", "direct", "enterprise");
        RequirePositive(diag, Path, "timeout", webauthn.Timeout);
        const string Criteria = $"{Path}.selection_criteria";
        RequireOneOf(diag, Criteria, "attachment", webauthn.SelectionCriteria.Attachment, "", "platform", "cross-platform");
        RequireOneOf(diag, Criteria, "discoverability", webauthn.SelectionCriteria.Discoverability, "discouraged", "preferred", "required");
        RequireOneOf(diag, Criteria, "user_verification", webauthn.SelectionCriteria.UserVerification, "discouraged", "preferred", "required");
        if (webauthn.EnablePasskeyLogin && webauthn.SelectionCriteria.Discoverability == "discouraged")
        {
            diag.Warning(Criteria, "discoverability", "is 'discouraged' while 'enable_passkey_login' is true: new credentials may not work for passkey login");
        }
        if (webauthn.ExperimentalEnablePasskeyUvTwoFactors && webauthn.SelectionCriteria.UserVerification != "required")
        {
            diag.Warning(Criteria, "user_verification", "should be 'required' with 'experimental_enable_passkey_uv_two_factors', or a passkey that skips user verification will ask for the password");
        }
        const string Filtering = $"{Path}.filtering";
        if (webauthn.Filtering.PermittedAaguids.Count > 0 && webauthn.Filtering.ProhibitedAaguids.Count > 0)
        {
            diag.Error(Filtering, "'permitted_aaguids' and 'prohibited_aaguids' are mutually exclusive; set only one");
        }
        foreach (var (key, list) in new[] { ("permitted_aaguids", webauthn.Filtering.PermittedAaguids), ("prohibited_aaguids", webauthn.Filtering.ProhibitedAaguids) })
        {
            for (var i = 0; i < list.Count; i++)
            {
                if (!Guid.TryParse(list[i], out _))
                {
                    diag.Error($"{Filtering}.{key}[{i}]", $"'{list[i]}' must be an AAGUID such as 'cb69481e-8ff7-4039-93ec-0a2729a154a8'");
                }
            }
        }
        RequireOneOf(diag, Path, "passkey_enrollment", webauthn.PasskeyEnrollment, "off", "offer");
        if (webauthn.PasskeyEnrollment == "offer" && !webauthn.EnablePasskeyLogin)
        {
            diag.Error(Path, "passkey_enrollment", "is 'offer' but it must be 'off' when 'enable_passkey_login' is false (the offered passkey could not sign in)");
        }
        RequirePositive(diag, Path, "passkey_enrollment_snooze", webauthn.PasskeyEnrollmentSnooze);
        WebAuthnMetadataValidator.Validate(webauthn, diag);
    }
}
