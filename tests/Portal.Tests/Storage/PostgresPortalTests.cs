using System.Globalization;
using System.Net;
using Portal.Tests.Support;
using Portal.Tests.WebAuthn;
using static Portal.Tests.Support.SmtpPortal;

namespace Portal.Tests.Storage;

/// <summary>The whole portal started with <c>storage.postgres</c> on a real PostgreSQL, driven over HTTP.</summary>
[Trait("Category", "Integration")]
[Collection("postgres")]
public sealed class PostgresPortalTests(PostgresServerFixture server)
{
    private string StorageYaml(string schema) => server.StorageYaml(schema);

    [Fact]
    public async Task A_portal_on_postgres_elevates_with_an_emailed_code_registers_a_security_key_and_signs_in_with_it()
    {
        var schema = "portal_" + Guid.NewGuid().ToString("N")[..12];
        await using var portal = await SmtpPortal.StartAsync(storage: StorageYaml(schema));
        var browser = new WebAuthnClient(portal.Host);
        var key = new SoftwareAuthenticator(browser.Origin);

        await browser.LoginAsync("john");
        await browser.ElevateByEmailAsync();
        await browser.RegisterAsync(key, "YubiKey");
        await browser.LogoutAsync();
        await browser.LoginAsync("john");
        var (status, body) = await browser.SecondFactorAsync(key);

        Assert.True(status == HttpStatusCode.OK, body);
        Assert.Equal(2, await browser.LevelAsync());
        // It is PostgreSQL that holds them: the code (used), the credential (its counter moved), the log of attempts.
        await using var connection = server.Connect(schema);
        Assert.Equal(1L, Scalar(connection, "SELECT COUNT(*) FROM one_time_code WHERE consumed IS NOT NULL"));
        Assert.Equal("YubiKey", Scalar(connection, "SELECT description FROM webauthn_credentials WHERE username = 'john'"));
        Assert.Equal(1L, Scalar(connection, "SELECT sign_count FROM webauthn_credentials"));
        Assert.True((long)Scalar(connection, "SELECT COUNT(*) FROM authentication_logs WHERE successful")! >= 2);
    }

    [Fact]
    public async Task With_postgres_down_storage_endpoints_answer_503_forward_auth_still_decides_and_all_recovers_when_it_is_back()
    {
        await using var portal = await SmtpPortal.StartAsync(storage: StorageYaml("portal_" + Guid.NewGuid().ToString("N")[..12]));
        var host = portal.Host;
        var cookie = await host.LoginAsync("john");
        try
        {
            server.Stop();

            using (var start = await RequestCodeAsync(host, cookie))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, start.StatusCode);
                Assert.Contains("The storage is unavailable", await start.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
            using (var signIn = await host.FirstFactorAsync("harry", PortalTestHost.Password))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, signIn.StatusCode);
            }
            // Sessions are not in PostgreSQL: an existing one is still decided on (one-factor rule: allowed).
            using (var allowed = await host.ForwardAuthAsync("https://app.example.com/", cookie: cookie))
            {
                Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
            }
        }
        finally
        {
            server.Start();
        }

        // No restart of the portal: the very next request after the database is back is served.
        using var again = await RequestCodeAsync(host, cookie);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var code = CodeFrom(await portal.Smtp.WaitForMailAsync("john@example.com"));
        using var submitted = await SubmitCodeAsync(host, cookie, code);
        Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);
    }

    private static object? Scalar(Npgsql.NpgsqlConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
