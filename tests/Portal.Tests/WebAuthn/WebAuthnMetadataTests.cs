using System.Net;
using System.Text.Json;
using Portal.Tests.Support;

namespace Portal.Tests.WebAuthn;

/// <summary>
/// Verified attestation against FIDO metadata, offline: a test MDS3 blob signed by a test root lists a packed security
/// key (certified), a revoked one and a U2F key, all attested by a test vendor CA. Each refusal leaves nothing stored.
/// </summary>
public sealed class WebAuthnMetadataTests : IDisposable
{
    private static readonly Guid Certified = Guid.Parse("a1a1a1a1-0000-4000-8000-000000000001");
    private static readonly Guid Revoked = Guid.Parse("a1a1a1a1-0000-4000-8000-000000000002");
    private static readonly Guid Unlisted = Guid.Parse("a1a1a1a1-0000-4000-8000-000000000003");

    private readonly TempDirectory _dir = new();
    private readonly TestAttestationCa _vendor = new("Acme Keys");
    private readonly TestAttestationCa _impostor = new("Acme Keys");
    private readonly TestMetadataBlob _blob;
    private readonly System.Security.Cryptography.X509Certificates.X509Certificate2 _u2fBatch;

    public WebAuthnMetadataTests()
    {
        _u2fBatch = _vendor.Issue("Acme U2F");
        _blob = new TestMetadataBlob(_dir.Path)
            .Add(Certified, "Acme Key 5", _vendor.RootBase64)
            .Add(Revoked, "Acme Key 4", _vendor.RootBase64, status: "REVOKED")
            .AddU2f(_u2fBatch, "Acme U2F Key", _vendor.RootBase64);
        _blob.Write();
    }

    public void Dispose()
    {
        _u2fBatch.Dispose();
        _blob.Dispose();
        _vendor.Dispose();
        _impostor.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task A_packed_attestation_chaining_to_the_listed_root_is_stored_with_its_chain_maker_and_trust_and_then_signs_in()
    {
        var (host, browser) = await StartAsync();
        await using var _ = host;
        var key = PackedKey(Certified, _vendor);

        var (options, status, body) = await RegisterAsync(browser, key);

        Assert.Equal("direct", options.GetProperty("attestation").GetString());
        Assert.True(status == HttpStatusCode.Created, body);
        var listed = Assert.Single(await browser.ListAsync());
        Assert.Equal(("packed", "attca", "Acme Key 5", true),
            (listed.GetProperty("attestation_format").GetString(), listed.GetProperty("attestation_type").GetString(),
             listed.GetProperty("authenticator").GetString(), listed.GetProperty("attestation_trusted").GetBoolean()));
        Assert.Equal(Certified.ToString(), listed.GetProperty("aaguid").GetString());
        Assert.Contains(Convert.ToBase64String(key.AttestationCertificates[0].RawData), browser.Snapshot(), StringComparison.Ordinal);

        await browser.LogoutAsync();
        await browser.LoginAsync("john");
        var (signIn, signInBody) = await browser.SecondFactorAsync(key);
        Assert.True(signIn == HttpStatusCode.OK, signInBody);
    }

    [Fact]
    public async Task A_fido_u2f_key_is_found_by_its_attestation_certificate_and_registered()
    {
        var (host, browser) = await StartAsync();
        await using var _ = host;
        var key = new SoftwareAuthenticator(browser.Origin) { AttestationFormat = "fido-u2f", AttestationCertificates = [_u2fBatch], Attachment = "cross-platform" };

        var (_, status, body) = await RegisterAsync(browser, key);

        Assert.True(status == HttpStatusCode.Created, body);
        var listed = Assert.Single(await browser.ListAsync());
        Assert.Equal(("fido-u2f", "attca", "Acme U2F Key", true),
            (listed.GetProperty("attestation_format").GetString(), listed.GetProperty("attestation_type").GetString(),
             listed.GetProperty("authenticator").GetString(), listed.GetProperty("attestation_trusted").GetBoolean()));
    }

    public static TheoryData<string> Refusals => ["revoked authenticator", "chain to another CA", "forged attestation signature", "AAGUID not in the metadata",
        "AAGUID outside permitted_aaguids", "permitted AAGUID claimed by self attestation", "u2f key of another CA"];

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_registration_the_metadata_does_not_vouch_for_is_refused_and_stores_nothing(string refusal)
    {
        var permitted = refusal.StartsWith("AAGUID outside", StringComparison.Ordinal) || refusal.StartsWith("permitted AAGUID", StringComparison.Ordinal)
            ? $"  filtering:\n    permitted_aaguids: ['{(refusal.StartsWith("permitted", StringComparison.Ordinal) ? Certified : Revoked)}']\n"
            : "";
        var (host, browser) = await StartAsync(permitted);
        await using var _ = host;
        using var impostorU2f = _impostor.Issue("Acme U2F");
        var (key, tamper) = refusal switch
        {
            "revoked authenticator" => (PackedKey(Revoked, _vendor), null),
            "chain to another CA" => (PackedKey(Certified, _impostor), null),
            "forged attestation signature" => (PackedKey(Certified, _vendor), new Tamper { CorruptSignature = true }),
            "AAGUID not in the metadata" => (PackedKey(Unlisted, _vendor), null),
            "AAGUID outside permitted_aaguids" => (PackedKey(Certified, _vendor), null),
            "permitted AAGUID claimed by self attestation" => (new SoftwareAuthenticator(browser.Origin) { AttestationFormat = "packed", Aaguid = Certified }, (Tamper?)null),
            _ => (new SoftwareAuthenticator(browser.Origin) { AttestationFormat = "fido-u2f", AttestationCertificates = [impostorU2f] }, null),
        };
        var (begun, options, beginBody) = await browser.BeginRegistrationAsync("Key");
        Assert.True(begun == HttpStatusCode.OK, beginBody);
        var before = browser.Snapshot();

        var (status, body) = await browser.CompleteRegistrationAsync(key.Create(options!.Value, tamper));

        // A signature that does not verify is a bad response (400); a verified one the policy refuses is 403.
        var expected = refusal == "forged attestation signature" ? HttpStatusCode.BadRequest : HttpStatusCode.Forbidden;
        Assert.True(status == expected, $"{refusal}: {(int)status} {body}");
        Assert.Equal(before, browser.Snapshot());
    }

    [Fact]
    public async Task An_authenticator_revoked_after_registration_is_refused_at_sign_in()
    {
        var (host, browser) = await StartAsync();
        await using var _ = host;
        var key = PackedKey(Certified, _vendor);
        var (_, registered, body) = await RegisterAsync(browser, key);
        Assert.True(registered == HttpStatusCode.Created, body);

        // The authenticator's status changes in the next blob (number 2), which replaces the file.
        _blob.Clear().Add(Certified, "Acme Key 5", _vendor.RootBase64, status: "REVOKED").Write(number: 2);
        File.SetLastWriteTimeUtc(_blob.BlobPath, DateTime.UtcNow.AddMinutes(1));
        await browser.LogoutAsync();
        await browser.LoginAsync("john");
        var before = browser.Snapshot();

        var (status, _) = await browser.SecondFactorAsync(key);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(1, await browser.LevelAsync());
        Assert.Equal(before, browser.Snapshot());
    }

    [Fact]
    public async Task With_conveyance_none_and_no_metadata_a_none_registration_works_as_before()
    {
        await using var host = await PortalTestHost.StartAsync("webauthn:\n  attestation_conveyance_preference: none\n");
        var browser = new WebAuthnClient(host);
        await browser.LoginAsync("john");
        await browser.ElevateAsync();

        var (options, status, body) = await RegisterAsync(browser, new SoftwareAuthenticator(browser.Origin));

        Assert.Equal("none", options.GetProperty("attestation").GetString());
        Assert.True(status == HttpStatusCode.Created, body);
        var listed = Assert.Single(await browser.ListAsync());
        Assert.Equal(("none", "none", false), (listed.GetProperty("attestation_format").GetString(),
            listed.GetProperty("attestation_type").GetString(), listed.GetProperty("attestation_trusted").GetBoolean()));
    }

    private async Task<(PortalTestHost Host, WebAuthnClient Browser)> StartAsync(string extraWebAuthn = "")
    {
        var host = await PortalTestHost.StartAsync("webauthn:\n  attestation_conveyance_preference: direct\n" + extraWebAuthn + _blob.Yaml());
        var browser = new WebAuthnClient(host);
        await browser.LoginAsync("john");
        await browser.ElevateAsync();
        return (host, browser);
    }

    private static SoftwareAuthenticator PackedKey(Guid aaguid, TestAttestationCa ca) =>
        new("https://auth.example.com") { AttestationFormat = "packed", Aaguid = aaguid, Attachment = "cross-platform", AttestationCertificates = [ca.Issue("Acme Key", aaguid)] };

    private static async Task<(JsonElement Options, HttpStatusCode Status, string Body)> RegisterAsync(WebAuthnClient browser, SoftwareAuthenticator key, Tamper? tamper = null)
    {
        var (begun, options, beginBody) = await browser.BeginRegistrationAsync("Key");
        Assert.True(begun == HttpStatusCode.OK, beginBody);
        var (status, body) = await browser.CompleteRegistrationAsync(key.Create(options!.Value, tamper));
        return (options.Value, status, body);
    }
}
