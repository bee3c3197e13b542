using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;
using Portal.WebAuthn;

namespace Portal.Cli;

/// <summary>
/// The file of <c>portal storage user webauthn export|import</c>, in the shape of Authelia's
/// <c>authelia storage user webauthn export</c>: a <c>webauthn_credentials</c> list whose entries carry Authelia's keys
/// (times in RFC 3339, bytes in standard base64, the public key decrypted), so a file from either imports into the
/// other; Portal adds <c>user_handle</c> (what a passkey returns at sign-in), <c>attestation_format</c>,
/// <c>attestation_chain</c>, <c>authenticator</c> and <c>attestation_trusted</c>, which are optional on import. JSON of the same shape reads too (YAML contains it).
/// </summary>
internal static class WebAuthnExportFile
{
    public const string DefaultName = "portal.export.webauthn.yml";

    public static void Write(IEnumerable<ExportedCredential> credentials, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        var list = new YamlSequenceNode();
        foreach (var (c, handle) in credentials)
        {
            var entry = new YamlMappingNode { { "created_at", Time(c.CreatedAt) } };
            if (c.LastUsedAt is { } used)
            {
                entry.Add("last_used_at", Time(used));
            }
            entry.Add("rpid", Text(c.RpId));
            entry.Add("username", Text(c.Username));
            entry.Add("description", Text(c.Description));
            entry.Add("kid", Convert.ToBase64String(c.Kid));
            if (c.Aaguid != Guid.Empty)
            {
                entry.Add("aaguid", c.Aaguid.ToString("D"));
            }
            entry.Add("attestation_type", Text(c.AttestationType));
            entry.Add("attachment", Text(c.Attachment));
            entry.Add("transports", new YamlSequenceNode(c.Transports.Select(t => (YamlNode)Text(t))) { Style = SequenceStyle.Flow });
            entry.Add("sign_count", c.SignCount.ToString(CultureInfo.InvariantCulture));
            entry.Add("clone_warning", Bool(c.CloneWarning));
            entry.Add("legacy", Bool(false));
            entry.Add("discoverable", Bool(c.Discoverable));
            entry.Add("present", Bool(c.Present));
            entry.Add("verified", Bool(c.Verified));
            entry.Add("backup_eligible", Bool(c.BackupEligible));
            entry.Add("backup_state", Bool(c.BackupState));
            entry.Add("public_key", Convert.ToBase64String(c.PublicKey));
            entry.Add("attestation", c.Attestation is null ? Text("") : Convert.ToBase64String(c.Attestation));
            if (handle is not null)
            {
                entry.Add("user_handle", Text(handle));
            }
            entry.Add("attestation_format", Text(c.AttestationFormat));
            entry.Add("attestation_chain", new YamlSequenceNode(c.AttestationChain.Select(d => (YamlNode)Convert.ToBase64String(d))));
            entry.Add("authenticator", Text(c.Authenticator));
            entry.Add("attestation_trusted", Bool(c.AttestationTrusted));
            list.Add(entry);
        }
        new YamlStream(new YamlDocument(new YamlMappingNode { { "webauthn_credentials", list } })).Save(writer, assignAnchors: false);
    }

    /// <returns>the credentials, or null with <paramref name="errors"/> saying what is wrong and where</returns>
    public static IReadOnlyList<ExportedCredential>? Read(string text, out List<string> errors)
    {
        errors = [];
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            errors.Add($"not YAML or JSON: {e.Message}");
            return null;
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root
            || !root.Children.TryGetValue(new YamlScalarNode("webauthn_credentials"), out var listNode) || listNode is not YamlSequenceNode list)
        {
            errors.Add("expected a 'webauthn_credentials' list at the top");
            return null;
        }
        var credentials = new List<ExportedCredential>();
        var index = 0;
        foreach (var node in list.Children)
        {
            var where = string.Create(CultureInfo.InvariantCulture, $"webauthn_credentials[{index++}]");
            if (node is not YamlMappingNode fields)
            {
                errors.Add($"{where}: expected a mapping");
                continue;
            }
            var entry = new Entry(fields, where, errors);
            var credential = new WebAuthnCredential
            {
                CreatedAt = entry.Time("created_at") ?? DateTimeOffset.UnixEpoch,
                LastUsedAt = entry.Time("last_used_at", required: false),
                RpId = entry.Text("rpid"),
                Username = entry.Text("username"),
                Description = entry.Text("description"),
                Kid = entry.Bytes("kid") ?? [],
                Aaguid = entry.Guid("aaguid"),
                AttestationType = entry.Text("attestation_type", required: false),
                AttestationFormat = entry.Text("attestation_format", required: false),
                AttestationChain = entry.List("attestation_chain").Select(v => entry.Base64("attestation_chain", v) ?? []).ToList(),
                Authenticator = entry.Text("authenticator", required: false),
                AttestationTrusted = entry.Bool("attestation_trusted"),
                Attachment = entry.Text("attachment", required: false),
                Transports = entry.List("transports"),
                SignCount = entry.UInt("sign_count"),
                CloneWarning = entry.Bool("clone_warning"),
                Discoverable = entry.Bool("discoverable"),
                Present = entry.Bool("present"),
                Verified = entry.Bool("verified"),
                BackupEligible = entry.Bool("backup_eligible"),
                BackupState = entry.Bool("backup_state"),
                PublicKey = entry.Bytes("public_key") ?? [],
                Attestation = entry.Bytes("attestation", required: false) is { Length: > 0 } attestation ? attestation : null,
            };
            // Refused rather than carried over: a counter that went backwards at Authelia may be a copy of the key,
            // and a legacy (U2F, AppID) credential cannot be verified here; the user registers the key again.
            if (credential.CloneWarning)
            {
                errors.Add($"{where}: Authelia flagged this credential as possibly cloned (clone_warning); register the key again instead");
            }
            if (entry.Bool("legacy"))
            {
                errors.Add($"{where}: a legacy (U2F) credential, which Portal cannot verify; register the key again instead");
            }
            var handle = entry.Text("user_handle", required: false);
            credentials.Add(new ExportedCredential(credential, handle.Length > 0 ? handle : null));
        }
        return errors.Count == 0 ? credentials : null;
    }

    private static YamlScalarNode Time(DateTimeOffset time) =>
        new(time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));

    // Quoted, so a description such as "yes" or "123" stays text for any YAML reader.
    private static YamlScalarNode Text(string value) => new(value) { Style = ScalarStyle.DoubleQuoted };

    private static YamlScalarNode Bool(bool value) => new(value ? "true" : "false");

    /// <summary>One entry's fields, each read with its problem added to the file's errors.</summary>
    private sealed class Entry(YamlMappingNode fields, string where, List<string> errors)
    {
        public string Text(string key, bool required = true)
        {
            var value = Scalar(key);
            if (value is null && required)
            {
                errors.Add($"{where}: '{key}' is required");
            }
            return value ?? "";
        }

        public DateTimeOffset? Time(string key, bool required = true)
        {
            var value = Text(key, required);
            if (value.Length == 0)
            {
                return null;
            }
            if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
            {
                return time;
            }
            errors.Add($"{where}: '{key}' is not an RFC 3339 time: '{value}'");
            return null;
        }

        public byte[]? Bytes(string key, bool required = true)
        {
            var value = Text(key, required);
            return value.Length == 0 ? (required ? null : []) : Base64(key, value);
        }

        public byte[]? Base64(string key, string value)
        {
            try
            {
                return Convert.FromBase64String(value);
            }
            catch (FormatException)
            {
                errors.Add($"{where}: '{key}' is not base64");
                return null;
            }
        }

        public Guid Guid(string key)
        {
            var value = Text(key, required: false);
            if (value.Length == 0)
            {
                return System.Guid.Empty;
            }
            if (System.Guid.TryParse(value, out var guid))
            {
                return guid;
            }
            errors.Add($"{where}: '{key}' is not a UUID: '{value}'");
            return System.Guid.Empty;
        }

        public bool Bool(string key)
        {
            var value = Text(key, required: false);
            if (value.Length == 0 || bool.TryParse(value, out var flag) && !flag)
            {
                return false;
            }
            if (flag)
            {
                return true;
            }
            errors.Add($"{where}: '{key}' is not true or false: '{value}'");
            return false;
        }

        public uint UInt(string key)
        {
            var value = Text(key, required: false);
            if (value.Length == 0)
            {
                return 0;
            }
            if (uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                return number;
            }
            errors.Add($"{where}: '{key}' is not a counter: '{value}'");
            return 0;
        }

        public List<string> List(string key)
        {
            if (!fields.Children.TryGetValue(new YamlScalarNode(key), out var node) || node is YamlScalarNode { Value: null or "" or "~" or "null" })
            {
                return [];
            }
            if (node is YamlSequenceNode sequence && sequence.Children.All(c => c is YamlScalarNode))
            {
                return [.. sequence.Children.Cast<YamlScalarNode>().Select(c => c.Value ?? "")];
            }
            errors.Add($"{where}: '{key}' must be a list");
            return [];
        }

        private string? Scalar(string key)
        {
            if (!fields.Children.TryGetValue(new YamlScalarNode(key), out var node))
            {
                return null;
            }
            if (node is YamlScalarNode scalar)
            {
                return scalar.Style == ScalarStyle.Plain && scalar.Value is "~" or "null" ? null : scalar.Value;
            }
            errors.Add($"{where}: '{key}' must be a single value");
            return null;
        }
    }
}
