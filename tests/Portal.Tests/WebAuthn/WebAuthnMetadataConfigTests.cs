using Portal.Cli;
using Portal.Configuration;
using Portal.Tests.Configuration;
using Portal.Tests.Support;

namespace Portal.Tests.WebAuthn;

/// <summary>
/// <c>webauthn.metadata</c> in the config system and the <c>portal webauthn metadata check</c> command, on a local
/// blob signed by a test root (never downloaded).
/// </summary>
public sealed class WebAuthnMetadataConfigTests : IDisposable
{
    private static readonly Guid Revoked = Guid.Parse("b2b2b2b2-0000-4000-8000-000000000002");
    private readonly TempDirectory _dir = new();
    private readonly TestAttestationCa _vendor = new("Acme Keys");
    private readonly TestMetadataBlob _blob;

    public WebAuthnMetadataConfigTests()
    {
        _blob = new TestMetadataBlob(_dir.Path).Add(Revoked, "Acme Key 4", _vendor.RootBase64, status: "REVOKED");
        _blob.Write();
    }

    public void Dispose()
    {
        _blob.Dispose();
        _vendor.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void A_blob_signed_by_the_configured_root_is_accepted()
    {
        var result = ConfigLoaderTests.LoadOverMinimal("webauthn:\n" + _blob.Yaml());

        Assert.True(result.IsValid, string.Join("\n", result.Diagnostics.Errors));
    }

    [Fact]
    public void A_blob_whose_chain_does_not_lead_to_the_configured_root_is_an_error_at_its_yaml_path()
    {
        using var otherDir = new TempDirectory();
        using var other = new TestMetadataBlob(otherDir.Path, "Other");

        var result = ConfigLoaderTests.LoadOverMinimal(
            $"webauthn:\n  metadata:\n    enabled: true\n    path: '{_blob.BlobPath}'\n    root_certificate: '{other.RootPemPath}'\n");

        var error = Assert.Single(result.Diagnostics.Errors);
        Assert.Equal("webauthn.metadata.path", error.Path);
        Assert.Contains("does not lead to the metadata root", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_blob_with_a_forged_signature_is_an_error_at_its_yaml_path()
    {
        _blob.Write(corruptSignature: true);

        var result = ConfigLoaderTests.LoadOverMinimal("webauthn:\n" + _blob.Yaml());

        var error = Assert.Single(result.Diagnostics.Errors);
        Assert.Equal("webauthn.metadata.path", error.Path);
        Assert.Contains("signature", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_status_name_is_an_error_at_its_yaml_path()
    {
        var result = ConfigLoaderTests.LoadOverMinimal("webauthn:\n" + _blob.Yaml("    validate_status_prohibited: ['REVOKED', 'BROKEN']\n"));

        var error = Assert.Single(result.Diagnostics.Errors);
        Assert.Equal("webauthn.metadata.validate_status_prohibited[1]", error.Path);
    }

    [Fact]
    public void Enterprise_attestation_is_an_accepted_conveyance_preference()
    {
        var result = ConfigLoaderTests.LoadOverMinimal("webauthn:\n  attestation_conveyance_preference: enterprise\n");

        Assert.True(result.IsValid, string.Join("\n", result.Diagnostics.Errors));
    }

    [Fact]
    public void The_check_command_explains_that_a_revoked_authenticator_is_refused()
    {
        var config = _dir.Write("overlay.yml", "webauthn:\n" + _blob.Yaml());
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var code = WebAuthnCommands.Run(["metadata", "check", "--config", "base.yml", "--aaguid", Revoked.ToString()], stdout, stderr,
            _ => ConfigLoaderTests.LoadOverMinimal(File.ReadAllText(config)));

        Assert.True(code == 0, stderr.ToString());
        var text = stdout.ToString();
        Assert.Contains("Acme Key 4", text, StringComparison.Ordinal);
        Assert.Contains("latest status: REVOKED", text, StringComparison.Ordinal);
        Assert.Contains("refused (metadata status REVOKED is prohibited)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_check_command_says_when_an_aaguid_has_no_entry()
    {
        var config = _dir.Write("overlay.yml", "webauthn:\n" + _blob.Yaml());
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var code = WebAuthnCommands.Run(["metadata", "check", "--config", "base.yml", "--aaguid", Guid.Empty.ToString()], stdout, stderr,
            _ => ConfigLoaderTests.LoadOverMinimal(File.ReadAllText(config)));

        Assert.Equal(0, code);
        Assert.Contains("no entry", stdout.ToString(), StringComparison.Ordinal);
        Assert.Contains("refused (validate_entry)", stdout.ToString(), StringComparison.Ordinal);
    }
}
