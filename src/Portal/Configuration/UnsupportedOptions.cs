namespace Portal.Configuration;

/// <summary>
/// Authelia options Portal does not implement. An admin bringing an Authelia file gets a warning for features that
/// are safe to ignore, and an error for ones whose absence would change who gets in (another user backend, another
/// database) — never a silent ignore.
/// </summary>
internal static class UnsupportedOptions
{
    private static readonly Dictionary<string, Unsupported> Known = new(StringComparer.Ordinal)
    {
        ["authentication_backend.ldap"] = new(true, "is not supported: Portal reads users from 'authentication_backend.file' only"),
        ["storage.mysql"] = new(true, "is not supported: Portal stores its data in SQLite ('storage.local') or PostgreSQL ('storage.postgres')"),
        ["session.domain"] = new(true, "is no longer supported: use 'session.cookies' with 'domain' and 'authelia_url'"),
        ["server.endpoints.enable_pprof"] = new(false, "is not supported and is ignored"),
        ["server.endpoints.enable_expvars"] = new(false, "is not supported and is ignored"),
        ["server.endpoints.rate_limits"] = new(false, "is not supported and is ignored: the sign-in and one-time-code endpoints have their own limits"),
        ["server.buffers"] = new(false, "is not supported and is ignored"),
        ["server.headers"] = new(false, "is not supported and is ignored"),
        ["authentication_backend.password_reset.custom_url"] = new(false, "is not supported and is ignored"),
        ["authentication_backend.file.extra_attributes"] = new(false, "is not supported and is ignored"),
        ["webauthn.metadata.cache_policy"] = new(false, "is not supported and is ignored"),
        ["webauthn.metadata.validate_trust_anchor"] = new(false, "is not supported and is ignored"),
        ["webauthn.metadata.validate_entry"] = new(false, "is not supported and is ignored"),
        ["webauthn.metadata.validate_entry_permit_zero_aaguid"] = new(false, "is not supported and is ignored"),
        ["webauthn.metadata.validate_status"] = new(false, "is not supported and is ignored"),
        ["webauthn.metadata.validate_status_permitted"] = new(false, "is not supported and is ignored"),
        ["webauthn.metadata.validate_status_prohibited"] = new(false, "is not supported and is ignored"),
        ["duo_api"] = new(false, "is not supported and is ignored"),
        ["identity_providers"] = new(false, "(OpenID Connect) is not supported and is ignored"),
        ["ntp"] = new(false, "is not supported and is ignored"),
        ["theme"] = new(false, "is not supported and is ignored"),
        ["default_2fa_method"] = new(false, "is not supported and is ignored"),
        ["certificates_directory"] = new(false, "is not supported and is ignored"),
        ["privacy_policy"] = new(false, "is not supported and is ignored"),
        ["jwt_secret"] = new(false, "is not supported and is ignored"),
    };

    /// <param name="path">the parent section's path, with list indexes</param>
    /// <param name="key">the unknown key</param>
    public static Unsupported? Find(string path, string key)
    {
        var normalized = StripIndexes(ConfigDiagnostics.Join(path, key));
        return Known.GetValueOrDefault(normalized);
    }

    /// <summary>The unsupported keys directly under a section (<paramref name="path"/> without list indexes).</summary>
    public static IEnumerable<(string Key, Unsupported Option)> Under(string path)
    {
        foreach (var (known, option) in Known)
        {
            var cut = known.LastIndexOf('.');
            var parent = cut < 0 ? "" : known[..cut];
            if (parent == StripIndexes(path).Replace("[]", "", StringComparison.Ordinal))
            {
                yield return (known[(cut + 1)..], option);
            }
        }
    }

    private static string StripIndexes(string path)
    {
        var result = new System.Text.StringBuilder(path.Length);
        var depth = 0;
        foreach (var c in path)
        {
            if (c == '[')
            {
                depth++;
            }
            else if (c == ']')
            {
                depth--;
            }
            else if (depth == 0)
            {
                result.Append(c);
            }
        }
        return result.ToString();
    }
}
