using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Portal.Tests.Support;
using Portal.Tests.WebAuthn;
using Portal.WebAuthn;
using static Portal.Tests.Cli.StorageCommandRun;

namespace Portal.Tests.Cli;

/// <summary>
/// <c>portal storage user webauthn import</c> with a file in the shape of Authelia's
/// <c>authelia storage user webauthn export</c>, written by the test from a key the software authenticator holds.
/// </summary>
public sealed class WebAuthnImportCommandTests
{
    /// <summary>The credential as Authelia's export writes it (base64 kid and COSE public key).</summary>
    private static string AutheliaExport(WebAuthnCredential c, string extra = "") => $"""
        ---
        webauthn_credentials:
          - id: 7
            created_at: 2024-03-01T10:20:30Z
            last_used_at: 2024-05-06T07:08:09Z
            rpid: {c.RpId}
            username: john
            description: Desk key
            kid: {Convert.ToBase64String(c.Kid)}
            aaguid: 00000000-0000-0000-0000-000000000000
            attestation_type: none
            attachment: cross-platform
            transports: [usb]
            sign_count: {c.SignCount}
            clone_warning: false
            legacy: false
            discoverable: false
            present: true
            verified: true
            backup_eligible: false
            backup_state: false
            public_key: {Convert.ToBase64String(c.PublicKey)}
        {extra}
        """;

    /// <summary>A key registered on a portal that is then thrown away: the authenticator keeps the private key.</summary>
    private static async Task<(SoftwareAuthenticator Authenticator, WebAuthnCredential Credential)> KeyFromAnotherPortalAsync()
    {
        await using var authelia = await PortalTestHost.StartAsync();
        var browser = new WebAuthnClient(authelia);
        var authenticator = new SoftwareAuthenticator(browser.Origin) { Attachment = "cross-platform", Transports = ["usb"] };
        await browser.LoginAsync("john");
        await browser.ElevateAsync();
        await browser.RegisterAsync(authenticator, "Desk key");
        var stored = await authelia.App.Services.GetRequiredService<IWebAuthnCredentialStore>().ListAsync(browser.PortalHost, "john");
        return (authenticator, Assert.Single(stored));
    }

    [Fact]
    public async Task A_user_with_a_key_imported_from_an_authelia_export_passes_the_second_factor_with_that_key()
    {
        var (authenticator, credential) = await KeyFromAnotherPortalAsync();
        await using var host = await PortalTestHost.StartAsync();
        var file = Path.Combine(host.DirectoryPath, "authelia.export.webauthn.yml");
        await File.WriteAllTextAsync(file, AutheliaExport(credential));

        var import = await RunAsync("user", "webauthn", "import", "--config", Path.Combine(host.DirectoryPath, "config.yml"), file);

        Assert.True(import.Code == 0, import.Err);
        Assert.Contains("Imported 1 of 1 WebAuthn credentials.", import.Out, StringComparison.Ordinal);
        var browser = new WebAuthnClient(host);
        await browser.LoginAsync("john");
        // A security key registered without a resident credential answers without a user handle (Authelia's export
        // carries none, so the portal's handle for the user is new).
        var (status, body) = await browser.SecondFactorAsync(authenticator, new Tamper { OmitUserHandle = true });
        Assert.True(status == HttpStatusCode.OK, body);
        using var app = await host.ForwardAuthAsync("https://secure.example.com/", cookie: browser.Cookie);
        Assert.Equal(HttpStatusCode.OK, app.StatusCode);
        var listed = Assert.Single(await browser.ListAsync());
        Assert.Equal("Desk key", listed.GetProperty("description").GetString());
    }

    [Fact]
    public async Task An_imported_key_that_answers_with_authelias_user_handle_is_refused_as_the_export_carries_no_handles()
    {
        var (authenticator, credential) = await KeyFromAnotherPortalAsync();
        await using var host = await PortalTestHost.StartAsync();
        var file = Path.Combine(host.DirectoryPath, "authelia.export.webauthn.yml");
        await File.WriteAllTextAsync(file, AutheliaExport(credential));
        Assert.Equal(0, (await RunAsync("user", "webauthn", "import", "--config", Path.Combine(host.DirectoryPath, "config.yml"), file)).Code);
        var browser = new WebAuthnClient(host);
        await browser.LoginAsync("john");

        var (status, _) = await browser.SecondFactorAsync(authenticator);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task A_credential_authelia_flagged_as_cloned_or_a_legacy_one_is_not_imported_and_nothing_else_is()
    {
        var (_, credential) = await KeyFromAnotherPortalAsync();
        await using var host = await PortalTestHost.StartAsync();
        var file = Path.Combine(host.DirectoryPath, "bad.yml");
        await File.WriteAllTextAsync(file, AutheliaExport(credential).Replace("clone_warning: false", "clone_warning: true", StringComparison.Ordinal)
            .Replace("legacy: false", "legacy: true", StringComparison.Ordinal));

        var import = await RunAsync("user", "webauthn", "import", "--config", Path.Combine(host.DirectoryPath, "config.yml"), file);

        Assert.Equal(1, import.Code);
        Assert.Contains("webauthn_credentials[0]: Authelia flagged this credential as possibly cloned", import.Err, StringComparison.Ordinal);
        Assert.Contains("webauthn_credentials[0]: a legacy (U2F) credential", import.Err, StringComparison.Ordinal);
        Assert.Contains("nothing imported", import.Err, StringComparison.Ordinal);
        Assert.False(await host.App.Services.GetRequiredService<IWebAuthnCredentialStore>().HasAnyForUserAsync("john"));
    }

    [Fact]
    public async Task Importing_the_same_key_twice_skips_it_the_second_time()
    {
        var (_, credential) = await KeyFromAnotherPortalAsync();
        await using var host = await PortalTestHost.StartAsync();
        var file = Path.Combine(host.DirectoryPath, "keys.yml");
        await File.WriteAllTextAsync(file, AutheliaExport(credential));
        var config = Path.Combine(host.DirectoryPath, "config.yml");

        var first = await RunAsync("user", "webauthn", "import", "--config", config, file);
        var second = await RunAsync("user", "webauthn", "import", "--config", config, file);

        Assert.Equal(0, first.Code);
        Assert.Equal(1, second.Code);
        Assert.Contains("Skipped 'Desk key' of john (auth.example.com):", second.Err, StringComparison.Ordinal);
        Assert.Single(await host.App.Services.GetRequiredService<IWebAuthnCredentialStore>().ListAsync("auth.example.com", "john"));
    }
}
