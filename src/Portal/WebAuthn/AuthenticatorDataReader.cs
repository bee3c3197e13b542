using System.Buffers.Binary;
using System.Buffers.Text;
using System.Formats.Cbor;
using System.Text.Json;

namespace Portal.WebAuthn;

/// <summary>
/// Reads flags, counter and AAGUID from responses that <see cref="Microsoft.AspNetCore.Identity.PasskeyHandler{TUser}"/>
/// has already verified. Identity's <c>UserPasskeyInfo</c> does not expose the flags of the current assertion, the
/// AAGUID or the statement format, and policy (UV as a factor, AAGUID and backup filtering, the clone warning) needs
/// them. Never call this on unverified input to make a decision that grants anything.
/// </summary>
internal static class AuthenticatorDataReader
{
    private const byte FlagUp = 0x01, FlagUv = 0x04, FlagBe = 0x08, FlagBs = 0x10, FlagAt = 0x40;

    public static bool TryRead(ReadOnlySpan<byte> authData, out AuthenticatorFacts facts)
    {
        facts = default;
        if (authData.Length < 37)
        {
            return false;
        }
        var flags = authData[32];
        var aaguid = Guid.Empty;
        if ((flags & FlagAt) != 0)
        {
            if (authData.Length < 37 + 16)
            {
                return false;
            }
            aaguid = new Guid(authData.Slice(37, 16), bigEndian: true);
        }
        facts = new AuthenticatorFacts(
            (flags & FlagUp) != 0, (flags & FlagUv) != 0, (flags & FlagBe) != 0, (flags & FlagBs) != 0,
            BinaryPrimitives.ReadUInt32BigEndian(authData.Slice(33, 4)), aaguid);
        return true;
    }

    /// <summary>
    /// The attestation object's format and authenticator data. The type is what the statement claims (statements
    /// are not verified: without FIDO metadata there is nothing to anchor them to), so it is informational only.
    /// </summary>
    public static AttestationFacts? ReadAttestationObject(byte[] attestationObject)
    {
        try
        {
            var reader = new CborReader(attestationObject, CborConformanceMode.Lax);
            var entries = reader.ReadStartMap();
            string? format = null;
            byte[]? authData = null;
            var hasX5c = false;
            for (var i = 0; entries is null || i < entries; i++)
            {
                if (entries is null && reader.PeekState() == CborReaderState.EndMap)
                {
                    break;
                }
                var key = reader.ReadTextString();
                switch (key)
                {
                    case "fmt":
                        format = reader.ReadTextString();
                        break;
                    case "authData":
                        authData = reader.ReadByteString();
                        break;
                    case "attStmt":
                        hasX5c = StatementHasX5c(reader);
                        break;
                    default:
                        reader.SkipValue();
                        break;
                }
            }
            if (format is null || authData is null || !TryRead(authData, out var facts))
            {
                return null;
            }
            var type = format switch
            {
                "none" => "none",
                "packed" => hasX5c ? "basic" : "self",
                _ => hasX5c ? "basic" : "",
            };
            return new AttestationFacts(format, type, facts);
        }
        catch (Exception e) when (e is CborContentException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    /// <summary>The facts of an assertion response's <c>response.authenticatorData</c>.</summary>
    public static AuthenticatorFacts? ReadAssertion(JsonElement credential)
    {
        if (credential.ValueKind == JsonValueKind.Object
            && credential.TryGetProperty("response", out var response) && response.ValueKind == JsonValueKind.Object
            && response.TryGetProperty("authenticatorData", out var data) && data.ValueKind == JsonValueKind.String
            && TryDecode(data.GetString()!, out var bytes) && TryRead(bytes, out var facts))
        {
            return facts;
        }
        return null;
    }

    /// <summary><c>authenticatorAttachment</c> as the browser reported it, or empty.</summary>
    public static string Attachment(JsonElement credential) =>
        credential.ValueKind == JsonValueKind.Object && credential.TryGetProperty("authenticatorAttachment", out var a) && a.ValueKind == JsonValueKind.String
            ? a.GetString() switch
            {
                "platform" => "platform",
                "cross-platform" => "cross-platform",
                _ => "",
            }
            : "";

    /// <summary><c>clientExtensionResults.credProps.rk</c>; false when absent (Authelia's IsCredentialCreationDiscoverable).</summary>
    public static bool ResidentKey(JsonElement credential) =>
        credential.ValueKind == JsonValueKind.Object
        && credential.TryGetProperty("clientExtensionResults", out var ext) && ext.ValueKind == JsonValueKind.Object
        && ext.TryGetProperty("credProps", out var props) && props.ValueKind == JsonValueKind.Object
        && props.TryGetProperty("rk", out var rk) && rk.ValueKind == JsonValueKind.True;

    private static bool StatementHasX5c(CborReader reader)
    {
        var entries = reader.ReadStartMap();
        var hasX5c = false;
        for (var i = 0; entries is null || i < entries; i++)
        {
            if (entries is null && reader.PeekState() == CborReaderState.EndMap)
            {
                break;
            }
            if (reader.PeekState() == CborReaderState.TextString)
            {
                hasX5c |= reader.ReadTextString() == "x5c";
            }
            else
            {
                reader.SkipValue();
            }
            reader.SkipValue();
        }
        reader.ReadEndMap();
        return hasX5c;
    }

    private static bool TryDecode(string base64Url, out byte[] bytes)
    {
        bytes = [];
        if (base64Url.Length > 8192)
        {
            return false;
        }
        try
        {
            bytes = Base64Url.DecodeFromChars(base64Url);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
