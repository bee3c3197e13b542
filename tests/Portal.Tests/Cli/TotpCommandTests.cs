using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Portal.Tests.Support;
using Portal.Tests.WebAuthn;
using Portal.Totp;
using static Portal.Tests.Cli.StorageCommandRun;

namespace Portal.Tests.Cli;

/// <summary>
/// <c>portal storage user totp import|export</c> with files in the shape of Authelia's
/// <c>authelia storage user totp export</c>, written by the test.
/// </summary>
public sealed class TotpCommandTests
{
    // A 20-byte secret as base32, as Authelia's export writes it (no padding).
    private const string AutheliaSecret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    private static string AutheliaExport(string username = "john", string secret = AutheliaSecret) => $"""
        ---
        totp_configurations:
          - created_at: 2024-03-01T10:20:30Z
            last_used_at: 2024-05-06T07:08:09Z
            username: {username}
            issuer: Authelia
            algorithm: SHA1
            digits: 6
            period: 30
            secret: {secret}
        """;

    [Fact]
    public async Task A_user_imported_from_an_authelia_export_opens_a_two_factor_app_with_a_code_and_the_same_code_is_refused_the_second_time()
    {
        await using var host = await PortalTestHost.StartAsync(manualClock: true);
        var file = Path.Combine(host.DirectoryPath, "authelia.export.totp.yml");
        await File.WriteAllTextAsync(file, AutheliaExport());

        var import = await RunAsync("user", "totp", "import", "--config", Path.Combine(host.DirectoryPath, "config.yml"), file);

        Assert.True(import.Code == 0, import.Err);
        Assert.Contains("Imported 1 TOTP configurations.", import.Out, StringComparison.Ordinal);
        var code = TotpCodes.Compute(TotpCodes.FromBase32(AutheliaSecret)!, "SHA1", 6, 30, host.Time!.GetUtcNow());
        var browser = new WebAuthnClient(host);
        await browser.LoginAsync("john");
        using (var second = await browser.SendAsync(HttpMethod.Post, "/api/secondfactor/totp", new { token = code }))
        {
            Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        }
        using (var app = await host.ForwardAuthAsync("https://secure.example.com/", cookie: browser.Cookie))
        {
            Assert.Equal(HttpStatusCode.OK, app.StatusCode);
        }

        var again = new WebAuthnClient(host);
        await again.LoginAsync("john");
        using var replay = await again.SendAsync(HttpMethod.Post, "/api/secondfactor/totp", new { token = code });
        using var refused = await host.ForwardAuthAsync("https://secure.example.com/", cookie: again.Cookie);
        Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, refused.StatusCode);
    }

    [Fact]
    public async Task Export_writes_authelias_shape_that_import_reads_back_and_never_overwrites_a_file()
    {
        await using var host = await PortalTestHost.StartAsync();
        var config = Path.Combine(host.DirectoryPath, "config.yml");
        var store = host.App.Services.GetRequiredService<ITotpConfigurationStore>();
        var secret = TotpCodes.FromBase32(AutheliaSecret)!;
        await store.SaveAsync(new TotpConfiguration(0, "john", "Portal", "SHA256", 8, 60, secret,
            new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero)), CancellationToken.None);
        var file = Path.Combine(host.DirectoryPath, "out.yml");

        var export = await RunAsync("user", "totp", "export", "--config", config, "--file", file);
        var twice = await RunAsync("user", "totp", "export", "--config", config, "--file", file);

        Assert.True(export.Code == 0, export.Err);
        var text = await File.ReadAllTextAsync(file);
        Assert.Contains("totp_configurations:\n  - created_at: 2026-01-02T03:04:05Z\n    username: 'john'\n    issuer: 'Portal'\n    algorithm: SHA256\n    digits: 8\n    period: 60\n    secret: " + AutheliaSecret + "\n", text, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.NotEqual(0, twice.Code);
        Assert.Contains("already exists", twice.Err, StringComparison.Ordinal);

        var (entries, errors) = TotpExportFile.Read(text, DateTimeOffset.UnixEpoch);
        Assert.Empty(errors);
        var back = Assert.Single(entries);
        Assert.Equal(("john", "SHA256", 8, 60), (back.Username, back.Algorithm, back.Digits, back.Period));
        Assert.Equal(secret, back.Secret);
    }

    [Fact]
    public async Task A_file_with_a_bad_entry_imports_nothing_and_names_every_problem_with_its_entry()
    {
        await using var host = await PortalTestHost.StartAsync();
        var file = Path.Combine(host.DirectoryPath, "bad.yml");
        await File.WriteAllTextAsync(file, AutheliaExport() + """

              - username: mary
                algorithm: MD5
                digits: 7
                secret: not-base32!
                colour: blue
            """);

        var import = await RunAsync("user", "totp", "import", "--config", Path.Combine(host.DirectoryPath, "config.yml"), file);

        Assert.Equal(1, import.Code);
        Assert.Contains("totp_configurations[1]: unknown key 'colour'", import.Err, StringComparison.Ordinal);
        Assert.Contains("totp_configurations[1].algorithm: must be SHA1, SHA256 or SHA512", import.Err, StringComparison.Ordinal);
        Assert.Contains("totp_configurations[1].digits: must be 6 or 8", import.Err, StringComparison.Ordinal);
        Assert.Contains("totp_configurations[1].secret: must be base32 text", import.Err, StringComparison.Ordinal);
        Assert.Contains("Nothing imported.", import.Err, StringComparison.Ordinal);
        Assert.False(await host.App.Services.GetRequiredService<ITotpConfigurationStore>().HasAsync("john", CancellationToken.None));
    }
}
