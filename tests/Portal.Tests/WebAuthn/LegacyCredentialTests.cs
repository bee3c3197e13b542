using System.Formats.Cbor;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Portal.Storage.Sqlite;
using Portal.Tests.Support;
using Portal.WebAuthn;

namespace Portal.Tests.WebAuthn;

/// <summary>
/// Credentials registered while ASP.NET Core Identity's passkey handler verified ceremonies keep working on
/// fido2-net-lib. The row is written with the statement the earlier build used (its column list, before V0005), with
/// the values it stored: the authenticator's COSE key as sent, the whole attestation object, the user handle's UTF-8
/// bytes as the WebAuthn user id.
/// </summary>
public sealed class LegacyCredentialTests
{
    [Fact]
    public async Task A_credential_stored_before_the_switch_signs_in_as_a_second_factor_and_as_a_passkey()
    {
        await using var host = await PortalTestHost.StartAsync(PasskeyLoginSupport.PasskeyOn);
        var browser = new WebAuthnClient(host);
        var key = new SoftwareAuthenticator(browser.Origin);
        var handle = await host.App.Services.GetRequiredService<IWebAuthnCredentialStore>().GetOrCreateUserHandleAsync("auth.example.com", "john");
        var credential = new SoftCredential
        {
            Id = RandomNumberGenerator.GetBytes(32),
            Key = ECDsa.Create(ECCurve.NamedCurves.nistP256),
            RpId = "auth.example.com",
            UserHandle = Encoding.UTF8.GetBytes(handle),
            UserName = "john",
            SignCount = 0,
        };
        key.Credentials.Add(credential);
        await InsertAsTheIdentityBuildDidAsync(host, credential);

        await browser.LoginAsync("john");
        var (second, secondBody) = await browser.SecondFactorAsync(key);
        Assert.True(second == HttpStatusCode.OK, secondBody);
        Assert.Equal(2, await browser.LevelAsync());

        var passkeyUser = new WebAuthnClient(host);
        var (passkey, passkeyBody) = await passkeyUser.PasskeyLoginAsync(key);
        Assert.True(passkey == HttpStatusCode.OK, passkeyBody);

        var listed = Assert.Single(await browser.ListAsync());
        Assert.Equal(2u, listed.GetProperty("sign_count").GetUInt32());
        Assert.Equal("", listed.GetProperty("authenticator").GetString());
        Assert.False(listed.GetProperty("attestation_trusted").GetBoolean());
    }

    private static async Task InsertAsTheIdentityBuildDidAsync(PortalTestHost host, SoftCredential credential)
    {
        var database = host.App.Services.GetRequiredService<SqliteDatabase>();
        var coseKey = SoftwareAuthenticator.CoseKey(credential.Key);
        var authData = SoftwareAuthenticator.AuthData("auth.example.com", SoftwareAuthenticator.FlagUP | SoftwareAuthenticator.FlagUV | SoftwareAuthenticator.FlagAT, 0,
            SoftwareAuthenticator.AttestedCredentialData(Guid.Empty, credential.Id, coseKey));
        var attestation = new CborWriter(CborConformanceMode.Ctap2Canonical);
        attestation.WriteStartMap(3);
        attestation.WriteTextString("fmt");
        attestation.WriteTextString("none");
        attestation.WriteTextString("attStmt");
        attestation.WriteStartMap(0);
        attestation.WriteEndMap();
        attestation.WriteTextString("authData");
        attestation.WriteByteString(authData);
        attestation.WriteEndMap();
        await database.ExecuteAsync(
            """
            INSERT INTO webauthn_credentials
                (created_at, last_used_at, rpid, username, description, kid, aaguid, attestation_type, attestation_format,
                 attachment, transport, sign_count, clone_warning, discoverable, present, verified, backup_eligible,
                 backup_state, public_key, attestation)
            VALUES ($created, NULL, 'auth.example.com', 'john', 'Old laptop', $kid, '00000000-0000-0000-0000-000000000000', 'none', 'none',
                 'platform', 'internal', 0, 0, 1, 1, 1, 0, 0, $publicKey, $attestation);
            """,
            [
                ("$created", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()),
                ("$kid", credential.Id),
                ("$publicKey", database.Encryption.Encrypt(coseKey)),
                ("$attestation", database.Encryption.Encrypt(attestation.Encode())),
            ],
            CancellationToken.None);
    }
}
