using System.Net;
using Portal.Elevation;
using Portal.Infrastructure;
using Portal.Notification;
using Portal.Users;

namespace Portal.Configuration;

/// <summary>
/// Runs every section's validator. All of them always run (no short-circuit) so an admin sees every error at once.
/// Each feature owns its section's validator; this class only lists them.
/// </summary>
internal static class ConfigValidator
{
    public static void Validate(PortalOptions options, ConfigDiagnostics diag)
    {
        ValidateServer(options.Server, diag);
        ForwardAuth.AuthzEndpointsValidator.Validate(options, diag);
        ValidateLog(options.Log, diag);
        ValidateAuthenticationBackend(options.AuthenticationBackend, diag);
        ValidateNotifier(options.Notifier, diag);
        ValidateWebAuthn(options.WebAuthn, diag);
        ValidateIdentityValidation(options.IdentityValidation, diag);
        Gateway.GatewayValidator.Validate(options, diag);
        Session.SessionValidator.Validate(options, diag);
        Storage.StorageValidator.Validate(options, diag);
        Regulation.RegulationValidator.Validate(options, diag);
        AccessControl.AccessControlValidator.Validate(options, diag);
    }

    private static void ValidateServer(ServerOptions server, ConfigDiagnostics diag)
    {
        const string Path = "server";
        if (!ListenAddress.TryParse(server.Address, out _, out var error))
        {
            diag.Error(Path, "address", error);
        }
        for (var i = 0; i < server.TrustedProxies.Count; i++)
        {
            if (!AccessControl.AclNetwork.TryParse(server.TrustedProxies[i], out _))
            {
                diag.Error($"{Path}.trusted_proxies[{i}]", $"'{server.TrustedProxies[i]}' must be an IP address or a CIDR range such as '10.0.0.0/8'");
            }
        }
        var hasCert = server.Tls.Certificate.Length > 0;
        var hasKey = server.Tls.Key.Length > 0;
        if (hasCert != hasKey)
        {
            diag.Error($"{Path}.tls", hasCert ? "key" : "certificate", "is required when the other of 'certificate' and 'key' is set");
        }
        foreach (var (key, file) in new[] { ("certificate", server.Tls.Certificate), ("key", server.Tls.Key) })
        {
            if (file.Length > 0 && !File.Exists(file))
            {
                diag.Error($"{Path}.tls", key, $"names '{file}', which does not exist");
            }
        }
        RequirePositive(diag, $"{Path}.timeouts", "read", server.Timeouts.Read);
        RequirePositive(diag, $"{Path}.timeouts", "write", server.Timeouts.Write);
        RequirePositive(diag, $"{Path}.timeouts", "idle", server.Timeouts.Idle);
        if (server.Hsts.MaxAge < TimeSpan.Zero)
        {
            diag.Error($"{Path}.hsts", "max_age", "must be a duration of zero or more such as '1y' (0 tells browsers to forget the policy; to send none, set 'enabled: false')");
        }
    }

    private static void ValidateLog(LogOptions log, ConfigDiagnostics diag)
    {
        RequireOneOf(diag, "log", "level", log.Level, "error", "warn", "info", "debug", "trace");
        RequireOneOf(diag, "log", "format", log.Format, "text", "json");
    }

    private static void ValidateAuthenticationBackend(AuthenticationBackendOptions backend, ConfigDiagnostics diag)
    {
        const string Path = "authentication_backend";
        if (backend.File.Path.Length == 0)
        {
            diag.Error($"{Path}.file", "path", "is required (the users database file)");
        }
        if (backend.RefreshInterval is not ("always" or "disable") && !Duration.TryParse(backend.RefreshInterval, out _))
        {
            diag.Error(Path, "refresh_interval", "must be a duration, 'always' or 'disable'");
        }
        var password = backend.File.Password;
        RequireOneOf(diag, $"{Path}.file.password", "algorithm", password.Algorithm, "argon2");
        var argon = password.Argon2;
        const string ArgonPath = $"{Path}.file.password.argon2";
        RequireOneOf(diag, ArgonPath, "variant", argon.Variant, "argon2id", "argon2i", "argon2d");
        RequireRange(diag, ArgonPath, "iterations", argon.Iterations, 1, 1_000);
        RequireRange(diag, ArgonPath, "parallelism", argon.Parallelism, 1, 64);
        RequireRange(diag, ArgonPath, "memory", argon.Memory, Math.Max(8 * argon.Parallelism, 8), 4 * 1024 * 1024);
        RequireRange(diag, ArgonPath, "key_length", argon.KeyLength, 16, 1024);
        RequireRange(diag, ArgonPath, "salt_length", argon.SaltLength, 8, 1024);
    }

    private static void ValidateNotifier(NotifierOptions notifier, ConfigDiagnostics diag)
    {
        const string Path = "notifier";
        if (notifier.Smtp is not null && notifier.Filesystem is not null)
        {
            diag.Error(Path, "please ensure only one of the 'smtp' or 'filesystem' notifier is configured");
        }
        else if (notifier.Smtp is null && notifier.Filesystem is null)
        {
            diag.Error(Path, "you must ensure either the 'smtp' or 'filesystem' notifier is configured");
        }
        if (notifier.TemplatePath.Length > 0 && !Directory.Exists(notifier.TemplatePath))
        {
            diag.Error(Path, "template_path", $"names '{notifier.TemplatePath}', which is not a directory");
        }
        if (notifier.Filesystem is { } fs && fs.Filename.Length == 0)
        {
            diag.Error($"{Path}.filesystem", "filename", "is required");
        }
        if (notifier.Smtp is { } smtp)
        {
            const string SmtpPath = $"{Path}.smtp";
            if (!Notification.SmtpNotifier.TryParseAddress(smtp.Address, out var scheme, out _, out _))
            {
                diag.Error(SmtpPath, "address", "must be a URL such as 'smtp://mail.example.com:25', 'submission://mail.example.com:587' or 'submissions://mail.example.com:465'");
            }
            if (smtp.Sender.Length == 0)
            {
                diag.Error(SmtpPath, "sender", "is required");
            }
            else if (!smtp.Sender.Contains('@', StringComparison.Ordinal) || !MimeKit.MailboxAddress.TryParse(smtp.Sender, out _))
            {
                diag.Error(SmtpPath, "sender", $"'{smtp.Sender}' must be an email address such as 'Portal <portal@example.com>'");
            }
            RequirePositive(diag, SmtpPath, "timeout", smtp.Timeout);
            RequireOneOf(diag, $"{SmtpPath}.tls", "minimum_version", smtp.Tls.MinimumVersion, "TLS1.2", "TLS1.3");
            if (smtp.Password.Length > 0 && smtp.Username.Length == 0)
            {
                diag.Error(SmtpPath, "username", "is required when 'password' is set");
            }
            if (smtp.DisableStarttls && scheme == "submission")
            {
                diag.Error(SmtpPath, "disable_starttls", "must be false with a 'submission://' address, which always uses STARTTLS (use 'smtp://' for plain text)");
            }
            else if (smtp.DisableStarttls && scheme == "smtp" && !smtp.DisableRequireTls)
            {
                diag.Error(SmtpPath, "disable_starttls", "is true, so the connection cannot be encrypted: also set 'disable_require_tls', or use 'submissions://'");
            }
        }
    }

    private static void ValidateWebAuthn(WebAuthnOptions webauthn, ConfigDiagnostics diag)
    {
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
        RequireOneOf(diag, Path, "attestation_conveyance_preference", webauthn.AttestationConveyancePreference, "none", "indirect", "direct");
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
        if (webauthn.Metadata.Enabled)
        {
            diag.Error($"{Path}.metadata", "enabled", "is not supported: FIDO metadata validation needs network access Portal does not assume");
        }
    }

    private static void ValidateIdentityValidation(IdentityValidationOptions identity, ConfigDiagnostics diag)
    {
        const string Path = "identity_validation.elevated_session";
        var elevated = identity.ElevatedSession;
        RequirePositive(diag, Path, "code_lifespan", elevated.CodeLifespan);
        RequirePositive(diag, Path, "elevation_lifespan", elevated.ElevationLifespan);
        RequireRange(diag, Path, "characters", elevated.Characters, 1, 20);
        if (elevated.Characters is >= 1 and < 8)
        {
            diag.Warning(Path, "characters", "is below 8: short codes are easier to guess");
        }
        if (elevated.RequireSecondFactor && elevated.SkipSecondFactor)
        {
            diag.Warning(Path, "'require_second_factor' and 'skip_second_factor' are both true");
        }
    }

    internal static void RequireOneOf(ConfigDiagnostics diag, string path, string key, string value, params string[] allowed)
    {
        if (!allowed.Contains(value, StringComparer.Ordinal))
        {
            var list = string.Join(", ", allowed.Where(a => a.Length > 0).Select(a => $"'{a}'"));
            diag.Error(path, key, $"must be one of {list}{(allowed.Contains("") ? " or empty" : "")} but it's configured as '{value}'");
        }
    }

    internal static void RequirePositive(ConfigDiagnostics diag, string path, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            diag.Error(path, key, "must be a duration greater than zero");
        }
    }

    internal static void RequireRange(ConfigDiagnostics diag, string path, string key, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            diag.Error(path, key, $"must be between {min} and {max} but it's configured as {value}");
        }
    }
}
