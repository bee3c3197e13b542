using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Portal.WebAuthn;

/// <summary>
/// The file <c>authelia storage user webauthn export</c> writes (Authelia's <c>exports.webauthn</c> schema): YAML with
/// a <c>webauthn_credentials</c> list; <c>kid</c> and <c>public_key</c> (the COSE key) in base64. Read for
/// <c>portal storage user webauthn import</c>. Refused: a credential Authelia flagged as cloned (importing would clear
/// the flag) and a legacy (U2F) one, which needs registering again.
/// </summary>
internal static class WebAuthnImportFile
{
    private static readonly HashSet<string> Keys = new(StringComparer.Ordinal)
    {
        "id", "created_at", "last_used_at", "rpid", "username", "description", "kid", "aaguid", "attestation_type", "attachment",
        "transports", "sign_count", "clone_warning", "legacy", "discoverable", "present", "verified", "backup_eligible", "backup_state",
        "public_key",
    };

    /// <summary>Every credential, or every problem found (each with its entry's index); nothing half read.</summary>
    public static (IReadOnlyList<WebAuthnCredential> Entries, IReadOnlyList<string> Errors) Read(string yaml, DateTimeOffset now)
    {
        YamlStream stream = [];
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            return ([], [$"not YAML: {e.Message}"]);
        }
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root
            || !root.Children.TryGetValue(new YamlScalarNode("webauthn_credentials"), out var listNode) || listNode is not YamlSequenceNode list)
        {
            return ([], ["expected a mapping with a 'webauthn_credentials' list"]);
        }
        var entries = new List<WebAuthnCredential>();
        var errors = new List<string>();
        for (var i = 0; i < list.Children.Count; i++)
        {
            var at = $"webauthn_credentials[{i}]";
            if (list.Children[i] is not YamlMappingNode entry)
            {
                errors.Add($"{at}: expected a mapping");
                continue;
            }
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            var transports = new List<string>();
            foreach (var (keyNode, valueNode) in entry.Children)
            {
                var key = (keyNode as YamlScalarNode)?.Value ?? "";
                if (!Keys.Contains(key))
                {
                    errors.Add($"{at}: unknown key '{key}'");
                }
                else if (key == "transports" && valueNode is YamlSequenceNode sequence)
                {
                    transports.AddRange(sequence.Children.OfType<YamlScalarNode>().Select(n => n.Value ?? "").Where(v => v.Length > 0));
                }
                else if (valueNode is YamlScalarNode { Value: { } value })
                {
                    values[key] = value;
                }
                else
                {
                    errors.Add($"{at}.{key}: expected a value");
                }
            }
            var before = errors.Count;
            var rpId = Required(values, "rpid", at, errors);
            var username = Required(values, "username", at, errors);
            var description = CredentialNames.Normalize(values.GetValueOrDefault("description", "")) ?? "";
            if (description.Length == 0)
            {
                errors.Add($"{at}.description: must be 1 to 64 characters without control characters");
            }
            var kid = Base64(values, "kid", at, errors);
            var publicKey = Base64(values, "public_key", at, errors);
            var aaguid = Guid.Empty;
            if (values.TryGetValue("aaguid", out var aaguidText) && aaguidText.Length > 0 && !Guid.TryParse(aaguidText, out aaguid))
            {
                errors.Add($"{at}.aaguid: must be a UUID");
            }
            uint signCount = 0;
            if (values.TryGetValue("sign_count", out var countText) && !uint.TryParse(countText, NumberStyles.None, CultureInfo.InvariantCulture, out signCount))
            {
                errors.Add($"{at}.sign_count: must be a whole number");
            }
            if (Flag(values, "clone_warning", at, errors))
            {
                errors.Add($"{at}: Authelia flagged this credential as possibly cloned; it is not imported");
            }
            if (Flag(values, "legacy", at, errors))
            {
                errors.Add($"{at}: a legacy (U2F) credential; the user registers the key again");
            }
            var created = Time(values, "created_at", at, errors) ?? now;
            var lastUsed = Time(values, "last_used_at", at, errors);
            var (discoverable, present, verified, eligible, state) = (Flag(values, "discoverable", at, errors), Flag(values, "present", at, errors),
                Flag(values, "verified", at, errors), Flag(values, "backup_eligible", at, errors), Flag(values, "backup_state", at, errors));
            if (errors.Count == before)
            {
                entries.Add(new WebAuthnCredential
                {
                    CreatedAt = created,
                    LastUsedAt = lastUsed,
                    RpId = rpId,
                    Username = username,
                    Description = description,
                    Kid = kid!,
                    Aaguid = aaguid,
                    AttestationType = values.GetValueOrDefault("attestation_type", ""),
                    Attachment = values.GetValueOrDefault("attachment", ""),
                    Transports = transports,
                    SignCount = signCount,
                    Discoverable = discoverable,
                    Present = present,
                    Verified = verified,
                    BackupEligible = eligible,
                    BackupState = state,
                    PublicKey = publicKey!,
                });
            }
        }
        return errors.Count == 0 ? (entries, []) : ([], errors);
    }

    private static string Required(Dictionary<string, string> values, string key, string at, List<string> errors)
    {
        var value = values.GetValueOrDefault(key, "").Trim();
        if (value.Length == 0)
        {
            errors.Add($"{at}.{key}: is required");
        }
        return value;
    }

    /// <summary>Standard or URL-safe base64, padded or not.</summary>
    private static byte[]? Base64(Dictionary<string, string> values, string key, string at, List<string> errors)
    {
        var text = values.GetValueOrDefault(key, "").Trim().Replace('-', '+').Replace('_', '/');
        text = text.PadRight(text.Length + ((4 - text.Length % 4) % 4), '=');
        try
        {
            var bytes = text.Length == 0 ? [] : Convert.FromBase64String(text);
            if (bytes.Length > 0)
            {
                return bytes;
            }
        }
        catch (FormatException)
        {
        }
        errors.Add($"{at}.{key}: must be base64");
        return null;
    }

    private static bool Flag(Dictionary<string, string> values, string key, string at, List<string> errors)
    {
        if (!values.TryGetValue(key, out var text))
        {
            return false;
        }
        if (bool.TryParse(text, out var value))
        {
            return value;
        }
        errors.Add($"{at}.{key}: must be true or false");
        return false;
    }

    private static DateTimeOffset? Time(Dictionary<string, string> values, string key, string at, List<string> errors)
    {
        if (!values.TryGetValue(key, out var text) || text.Length == 0)
        {
            return null;
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
        {
            return value.ToUniversalTime();
        }
        errors.Add($"{at}.{key}: must be a date and time (RFC 3339)");
        return null;
    }
}
