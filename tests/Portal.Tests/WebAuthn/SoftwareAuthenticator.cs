// Test authenticator from the project's WebAuthn test kit (shared/reference/webauthn-testing), adapted: internal
// types, re-registering an existing credential to test the server's duplicate-credential refusal, and full packed and
// fido-u2f attestation with certificates from a test CA.
using System.Buffers.Binary;
using System.Buffers.Text;
using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portal.Tests.WebAuthn;

/// <summary>A credential held by the software authenticator. The private key never leaves it.</summary>
internal sealed class SoftCredential
{
    public required byte[] Id { get; init; }
    public required ECDsa Key { get; init; }
    public required string RpId { get; init; }
    public required byte[] UserHandle { get; init; }
    public required string UserName { get; init; }
    public uint SignCount { get; set; }
}

/// <summary>Overrides that produce deliberately broken responses for negative tests.</summary>
public sealed record Tamper
{
    /// <summary>Replaces clientDataJSON.origin.</summary>
    public string? Origin { get; init; }

    /// <summary>rpIdHash is computed over this value instead of the real RP ID.</summary>
    public string? RpIdForHash { get; init; }

    /// <summary>Replaces clientDataJSON.challenge (base64url).</summary>
    public string? Challenge { get; init; }

    /// <summary>Replaces clientDataJSON.type (for example "webauthn.create" in an assertion).</summary>
    public string? Type { get; init; }

    /// <summary>Forces the UV flag (0x04).</summary>
    public bool? UserVerified { get; init; }

    /// <summary>Forces the UP flag (0x01).</summary>
    public bool? UserPresent { get; init; }

    /// <summary>Forces the BE flag (0x08); use it to simulate a backup-eligibility flip.</summary>
    public bool? BackupEligible { get; init; }

    /// <summary>Forces the BS flag (0x10).</summary>
    public bool? BackedUp { get; init; }

    /// <summary>Forces the counter value written into authenticatorData.</summary>
    public uint? SignCount { get; init; }

    /// <summary>Flips one bit of the assertion signature or of the packed attestation signature.</summary>
    public bool CorruptSignature { get; init; }

    /// <summary>Sends userHandle = null in an assertion.</summary>
    public bool OmitUserHandle { get; init; }

    /// <summary>Sends this userHandle instead of the credential's own (for example another user's handle).</summary>
    public byte[]? UserHandle { get; init; }
}

/// <summary>
/// A minimal CTAP2-style platform authenticator plus client, in software. It makes ES256 (P-256) keys and builds
/// authenticatorData (rpIdHash | flags | signCount | attestedCredentialData), the COSE_Key, an attestation object
/// with format "none", "packed" (self attestation, or full attestation with an x5c chain from a test CA) or "fido-u2f",
/// and clientDataJSON.
/// Input and output are the standard WebAuthn JSON forms: PublicKeyCredentialCreationOptionsJSON becomes a
/// RegistrationResponseJSON, and PublicKeyCredentialRequestOptionsJSON becomes an AuthenticationResponseJSON.
/// It is therefore independent of the relying-party library (checked against ASP.NET Core 10 Identity's
/// PasskeyHandler&lt;TUser&gt;).
/// </summary>
internal sealed class SoftwareAuthenticator
{
    public const byte FlagUP = 0x01, FlagUV = 0x04, FlagBE = 0x08, FlagBS = 0x10, FlagAT = 0x40, FlagED = 0x80;

    public SoftwareAuthenticator(string origin) => Origin = origin;

    /// <summary>Written into clientDataJSON.origin, for example "http://localhost:5123" or "https://auth.example.com".</summary>
    public string Origin { get; set; }

    /// <summary>AAGUID written into the attested credential data. Chromium's virtual authenticator uses 01020304-0506-0708-0102-030405060708.</summary>
    public Guid Aaguid { get; set; } = Guid.Empty;

    /// <summary>"none", "packed" (self attestation, or full with <see cref="AttestationCertificates"/>) or "fido-u2f".</summary>
    public string AttestationFormat { get; set; } = "none";

    /// <summary>
    /// The batch attestation certificate (with its private key) and any intermediates, leaf first: "packed" then makes a
    /// full attestation with this x5c, and "fido-u2f" signs with the first.
    /// </summary>
    public IReadOnlyList<System.Security.Cryptography.X509Certificates.X509Certificate2> AttestationCertificates { get; set; } = [];

    /// <summary>"platform" or "cross-platform"; reported as authenticatorAttachment.</summary>
    public string Attachment { get; set; } = "platform";

    /// <summary>Reported in response.transports at registration.</summary>
    public IReadOnlyList<string> Transports { get; set; } = ["internal"];

    public bool UserVerified { get; set; } = true;

    public bool BackupEligible { get; set; }

    public bool BackedUp { get; set; }

    public List<SoftCredential> Credentials { get; } = [];

    /// <summary>The equivalent of navigator.credentials.create().</summary>
    /// <param name="publicKeyOptions">PublicKeyCredentialCreationOptionsJSON, as the relying party sends it to the browser.</param>
    /// <param name="tamper">Optional overrides for negative tests.</param>
    /// <returns>RegistrationResponseJSON.</returns>
    /// <param name="reuse">Register this existing credential again, ignoring excludeCredentials (a misbehaving client).</param>
    public string Create(JsonElement publicKeyOptions, Tamper? tamper = null, SoftCredential? reuse = null)
    {
        tamper ??= new Tamper();
        var rpId = publicKeyOptions.GetProperty("rp").TryGetProperty("id", out var rid) && rid.ValueKind == JsonValueKind.String
            ? rid.GetString()!
            : new Uri(Origin).Host;
        var user = publicKeyOptions.GetProperty("user");
        var userHandle = Base64Url.DecodeFromChars(user.GetProperty("id").GetString());
        var challenge = publicKeyOptions.GetProperty("challenge").GetString()!;

        if (!publicKeyOptions.GetProperty("pubKeyCredParams").EnumerateArray().Any(p => p.GetProperty("alg").GetInt32() == -7))
        {
            throw new NotSupportedException("The relying party does not accept ES256 (-7).");
        }

        if (reuse is null && publicKeyOptions.TryGetProperty("excludeCredentials", out var excluded) && excluded.ValueKind == JsonValueKind.Array)
        {
            foreach (var e in excluded.EnumerateArray())
            {
                var id = Base64Url.DecodeFromChars(e.GetProperty("id").GetString());
                if (Credentials.Any(c => c.Id.AsSpan().SequenceEqual(id)))
                {
                    throw new InvalidOperationException("InvalidStateError: the authenticator holds an excluded credential.");
                }
            }
        }

        var credential = reuse ?? new SoftCredential
        {
            Id = RandomNumberGenerator.GetBytes(32),
            Key = ECDsa.Create(ECCurve.NamedCurves.nistP256),
            RpId = rpId,
            UserHandle = userHandle,
            UserName = user.GetProperty("name").GetString()!,
            SignCount = 0,
        };

        var clientDataJson = ClientData("webauthn.create", challenge, tamper);
        var clientDataHash = SHA256.HashData(clientDataJson);

        var flags = (byte)(Flags(tamper) | FlagAT);
        var authData = AuthData(
            tamper.RpIdForHash ?? rpId,
            flags,
            tamper.SignCount ?? credential.SignCount,
            AttestedCredentialData(Aaguid, credential.Id, CoseKey(credential.Key)));

        var attestation = new CborWriter(CborConformanceMode.Ctap2Canonical);
        attestation.WriteStartMap(3);
        attestation.WriteTextString("fmt");
        attestation.WriteTextString(AttestationFormat);
        attestation.WriteTextString("attStmt");
        var signedData = (byte[])[.. authData, .. clientDataHash];
        if (AttestationFormat == "fido-u2f")
        {
            // FIDO U2F: the batch key signs 0x00 | rpIdHash | clientDataHash | credentialId | 0x04 | x | y (WebAuthn §8.6).
            var batch = AttestationCertificates.Count > 0 ? AttestationCertificates[0] : throw new InvalidOperationException("fido-u2f needs an attestation certificate");
            var q = credential.Key.ExportParameters(false).Q;
            byte[] u2fData = [0x00, .. authData.AsSpan(0, 32), .. clientDataHash, .. credential.Id, 0x04, .. q.X!, .. q.Y!];
            WriteStatement(attestation, null, Sign(batch, u2fData, tamper), [batch]);
        }
        else if (AttestationFormat == "packed" && AttestationCertificates.Count > 0)
        {
            // Full (basic) attestation: the batch certificate's key signs, x5c carries the chain, leaf first.
            WriteStatement(attestation, -7, Sign(AttestationCertificates[0], signedData, tamper), AttestationCertificates);
        }
        else if (AttestationFormat == "packed")
        {
            // Self attestation: a signature over authData || clientDataHash with the credential key itself, no x5c.
            var sig = credential.Key.SignData(signedData, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
            if (tamper.CorruptSignature)
            {
                sig[^1] ^= 0x01;
            }
            WriteStatement(attestation, -7, sig, []);
        }
        else
        {
            attestation.WriteStartMap(0);
            attestation.WriteEndMap();
        }

        attestation.WriteTextString("authData");
        attestation.WriteByteString(authData);
        attestation.WriteEndMap();

        if (reuse is null)
        {
            Credentials.Add(credential);
        }
        var askedForCredProps = publicKeyOptions.TryGetProperty("extensions", out var ext) && ext.ValueKind == JsonValueKind.Object
            && ext.TryGetProperty("credProps", out var cp) && cp.ValueKind == JsonValueKind.True;
        var transports = new JsonArray();
        foreach (var t in Transports)
        {
            transports.Add(t);
        }

        var json = new JsonObject
        {
            ["id"] = Base64Url.EncodeToString(credential.Id),
            ["rawId"] = Base64Url.EncodeToString(credential.Id),
            ["type"] = "public-key",
            ["authenticatorAttachment"] = Attachment,
            ["response"] = new JsonObject
            {
                ["clientDataJSON"] = Base64Url.EncodeToString(clientDataJson),
                ["attestationObject"] = Base64Url.EncodeToString(attestation.Encode()),
                ["transports"] = transports,
            },
            ["clientExtensionResults"] = askedForCredProps
                ? new JsonObject { ["credProps"] = new JsonObject { ["rk"] = true } }
                : new JsonObject(),
        };
        return json.ToJsonString();
    }

    /// <summary>The equivalent of navigator.credentials.get().</summary>
    /// <param name="publicKeyOptions">PublicKeyCredentialRequestOptionsJSON. An empty allowCredentials means a discoverable (passkey) login.</param>
    /// <param name="tamper">Optional overrides for negative tests.</param>
    /// <param name="pick">Use this credential instead of the newest matching one.</param>
    /// <returns>AuthenticationResponseJSON.</returns>
    public string Get(JsonElement publicKeyOptions, Tamper? tamper = null, SoftCredential? pick = null)
    {
        tamper ??= new Tamper();
        var rpId = publicKeyOptions.TryGetProperty("rpId", out var rid) && rid.ValueKind == JsonValueKind.String
            ? rid.GetString()!
            : new Uri(Origin).Host;
        var challenge = publicKeyOptions.GetProperty("challenge").GetString()!;

        var allowed = publicKeyOptions.TryGetProperty("allowCredentials", out var ac) && ac.ValueKind == JsonValueKind.Array
            ? ac.EnumerateArray().Select(c => Base64Url.DecodeFromChars(c.GetProperty("id").GetString())).ToList()
            : [];
        var credential = pick
            ?? Credentials.LastOrDefault(c => c.RpId == rpId && (allowed.Count == 0 || allowed.Any(a => a.AsSpan().SequenceEqual(c.Id))))
            ?? throw new InvalidOperationException("NotAllowedError: no credential for " + rpId);

        credential.SignCount++;
        var clientDataJson = ClientData("webauthn.get", challenge, tamper);
        var authData = AuthData(tamper.RpIdForHash ?? rpId, Flags(tamper), tamper.SignCount ?? credential.SignCount, []);
        var sig = credential.Key.SignData([.. authData, .. SHA256.HashData(clientDataJson)], HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        if (tamper.CorruptSignature)
        {
            sig[^1] ^= 0x01;
        }

        var userHandle = tamper.OmitUserHandle ? null : Base64Url.EncodeToString(tamper.UserHandle ?? credential.UserHandle);
        var json = new JsonObject
        {
            ["id"] = Base64Url.EncodeToString(credential.Id),
            ["rawId"] = Base64Url.EncodeToString(credential.Id),
            ["type"] = "public-key",
            ["authenticatorAttachment"] = Attachment,
            ["response"] = new JsonObject
            {
                ["clientDataJSON"] = Base64Url.EncodeToString(clientDataJson),
                ["authenticatorData"] = Base64Url.EncodeToString(authData),
                ["signature"] = Base64Url.EncodeToString(sig),
                ["userHandle"] = userHandle,
            },
            ["clientExtensionResults"] = new JsonObject(),
        };
        return json.ToJsonString();
    }

    /// <summary>rpIdHash (32) | flags (1) | signCount (4, big-endian) | attestedCredentialData (optional).</summary>
    public static byte[] AuthData(string rpId, byte flags, uint signCount, byte[] attestedCredentialData)
    {
        ArgumentNullException.ThrowIfNull(rpId);
        ArgumentNullException.ThrowIfNull(attestedCredentialData);
        var buf = new byte[32 + 1 + 4 + attestedCredentialData.Length];
        SHA256.HashData(Encoding.UTF8.GetBytes(rpId), buf.AsSpan(0, 32));
        buf[32] = flags;
        BinaryPrimitives.WriteUInt32BigEndian(buf.AsSpan(33, 4), signCount);
        attestedCredentialData.CopyTo(buf, 37);
        return buf;
    }

    /// <summary>AAGUID (16) | credentialIdLength (2, big-endian) | credentialId | credentialPublicKey (COSE_Key).</summary>
    public static byte[] AttestedCredentialData(Guid aaguid, byte[] credentialId, byte[] coseKey)
    {
        ArgumentNullException.ThrowIfNull(credentialId);
        ArgumentNullException.ThrowIfNull(coseKey);
        var buf = new byte[16 + 2 + credentialId.Length + coseKey.Length];
        aaguid.TryWriteBytes(buf.AsSpan(0, 16), bigEndian: true, out _);   // the AAGUID is a big-endian UUID on the wire
        BinaryPrimitives.WriteUInt16BigEndian(buf.AsSpan(16, 2), (ushort)credentialId.Length);
        credentialId.CopyTo(buf, 18);
        coseKey.CopyTo(buf, 18 + credentialId.Length);
        return buf;
    }

    /// <summary>COSE_Key for EC2 / ES256 / P-256: {1:2, 3:-7, -1:1, -2:x, -3:y}, in CTAP2 canonical order.</summary>
    public static byte[] CoseKey(ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var p = key.ExportParameters(false);
        var w = new CborWriter(CborConformanceMode.Ctap2Canonical);
        w.WriteStartMap(5);
        w.WriteInt32(1);
        w.WriteInt32(2);      // kty: EC2
        w.WriteInt32(3);
        w.WriteInt32(-7);     // alg: ES256
        w.WriteInt32(-1);
        w.WriteInt32(1);      // crv: P-256
        w.WriteInt32(-2);
        w.WriteByteString(p.Q.X!);
        w.WriteInt32(-3);
        w.WriteByteString(p.Q.Y!);
        w.WriteEndMap();
        return w.Encode();
    }

    private byte Flags(Tamper t)
    {
        byte f = 0;
        if (t.UserPresent ?? true)
        {
            f |= FlagUP;
        }

        if (t.UserVerified ?? UserVerified)
        {
            f |= FlagUV;
        }

        if (t.BackupEligible ?? BackupEligible)
        {
            f |= FlagBE;
        }

        if (t.BackedUp ?? BackedUp)
        {
            f |= FlagBS;
        }

        return f;
    }

    private static byte[] Sign(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate, byte[] data, Tamper tamper)
    {
        using var key = certificate.GetECDsaPrivateKey() ?? throw new InvalidOperationException("the attestation certificate has no EC private key");
        var sig = key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        if (tamper.CorruptSignature)
        {
            sig[^1] ^= 0x01;
        }
        return sig;
    }

    private static void WriteStatement(CborWriter writer, int? alg, byte[] sig, IReadOnlyList<System.Security.Cryptography.X509Certificates.X509Certificate2> x5c)
    {
        writer.WriteStartMap((alg is null ? 0 : 1) + 1 + (x5c.Count > 0 ? 1 : 0));
        if (alg is { } a)
        {
            writer.WriteTextString("alg");
            writer.WriteInt32(a);
        }
        writer.WriteTextString("sig");
        writer.WriteByteString(sig);
        if (x5c.Count > 0)
        {
            writer.WriteTextString("x5c");
            writer.WriteStartArray(x5c.Count);
            foreach (var certificate in x5c)
            {
                writer.WriteByteString(certificate.RawData);
            }
            writer.WriteEndArray();
        }
        writer.WriteEndMap();
    }

    // Key order as browsers emit it: type, challenge, origin, crossOrigin.
    private byte[] ClientData(string type, string challenge, Tamper t) =>
        Encoding.UTF8.GetBytes(new JsonObject
        {
            ["type"] = t.Type ?? type,
            ["challenge"] = t.Challenge ?? challenge,
            ["origin"] = t.Origin ?? Origin,
            ["crossOrigin"] = false,
        }.ToJsonString());
}
