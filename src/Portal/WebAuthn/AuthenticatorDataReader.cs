using System.Buffers.Binary;
using System.Buffers.Text;
using System.Formats.Cbor;
using System.Text.Json;

namespace Portal.WebAuthn;

/// <summary>
/// Reads flags, counter, AAGUID, the attestation chain and the client data from responses that fido2-net-lib has
/// already verified: its results do not carry the flags of the current assertion or the statement's certificates, and
/// policy (UV as a factor, AAGUID and backup filtering, the clone warning, FIDO metadata) needs them. Never call this on
/// unverified input to make a decision that grants anything.
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

    /// <summary>The attestation object's format, authenticator data and <c>x5c</c> certificate chain (leaf first).</summary>
    public static AttestationFacts? ReadAttestationObject(byte[] attestationObject)
    {
        try
        {
            var reader = new CborReader(attestationObject, CborConformanceMode.Lax);
            var entries = reader.ReadStartMap();
            string? format = null;
            byte[]? authData = null;
            List<byte[]> x5c = [];
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
                        x5c = StatementX5c(reader);
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
            return new AttestationFacts(format, facts, x5c);
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

    /// <summary>The DER certificates of <c>attStmt.x5c</c>, or none.</summary>
    private static List<byte[]> StatementX5c(CborReader reader)
    {
        var entries = reader.ReadStartMap();
        List<byte[]> x5c = [];
        for (var i = 0; entries is null || i < entries; i++)
        {
            if (entries is null && reader.PeekState() == CborReaderState.EndMap)
            {
                break;
            }
            var isX5c = false;
            if (reader.PeekState() == CborReaderState.TextString)
            {
                isX5c = reader.ReadTextString() == "x5c";
            }
            else
            {
                reader.SkipValue();
            }
            if (isX5c && reader.PeekState() == CborReaderState.StartArray)
            {
                var count = reader.ReadStartArray();
                for (var j = 0; count is null ? reader.PeekState() != CborReaderState.EndArray : j < count; j++)
                {
                    x5c.Add(reader.ReadByteString());
                }
                reader.ReadEndArray();
            }
            else
            {
                reader.SkipValue();
            }
        }
        reader.ReadEndMap();
        return x5c;
    }

    /// <summary><c>response.clientDataJSON</c>'s origin and crossOrigin, or null when it cannot be read.</summary>
    public static (string Origin, bool CrossOrigin)? ReadClientData(JsonElement credential)
    {
        if (credential.ValueKind != JsonValueKind.Object
            || !credential.TryGetProperty("response", out var response) || response.ValueKind != JsonValueKind.Object
            || !response.TryGetProperty("clientDataJSON", out var data) || data.ValueKind != JsonValueKind.String
            || !TryDecode(data.GetString()!, out var bytes))
        {
            return null;
        }
        try
        {
            using var client = JsonDocument.Parse(bytes);
            var root = client.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("origin", out var origin) || origin.ValueKind != JsonValueKind.String)
            {
                return null;
            }
            var crossOrigin = root.TryGetProperty("crossOrigin", out var cross) && cross.ValueKind == JsonValueKind.True;
            return (origin.GetString()!, crossOrigin);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary><c>response.transports</c> at registration: the known values, in the order given.</summary>
    public static IReadOnlyList<string> Transports(JsonElement credential) =>
        credential.ValueKind == JsonValueKind.Object && credential.TryGetProperty("response", out var response) && response.ValueKind == JsonValueKind.Object
        && response.TryGetProperty("transports", out var transports) && transports.ValueKind == JsonValueKind.Array
            ? [.. transports.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString()!)
                .Where(t => Transport(t) is not null).Distinct(StringComparer.Ordinal)]
            : [];

    /// <summary>A stored transport name as the library's enum; null for names it does not know.</summary>
    public static Fido2NetLib.Objects.AuthenticatorTransport? Transport(string name) => name switch
    {
        "usb" => Fido2NetLib.Objects.AuthenticatorTransport.Usb,
        "nfc" => Fido2NetLib.Objects.AuthenticatorTransport.Nfc,
        "ble" => Fido2NetLib.Objects.AuthenticatorTransport.Ble,
        "internal" => Fido2NetLib.Objects.AuthenticatorTransport.Internal,
        "hybrid" => Fido2NetLib.Objects.AuthenticatorTransport.Hybrid,
        "smart-card" => Fido2NetLib.Objects.AuthenticatorTransport.SmartCard,
        _ => null,
    };

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
