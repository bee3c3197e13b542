using Portal.Configuration;
using Portal.Storage;
using Portal.Storage.Postgres;

namespace Portal.Tests.Storage;

/// <summary>
/// <c>storage.postgres.tls</c> against a real PostgreSQL serving TLS (self-signed) and admitting, over TLS, only the
/// client certificate for the user.
/// </summary>
[Trait("Category", "Integration")]
public sealed class PostgresTlsTests(PostgresTlsServerFixture server) : IClassFixture<PostgresTlsServerFixture>
{
    private PostgresStorageOptions Options(PostgresTlsOptions tls) => server.NewSchema(tls: tls);

    private PostgresTlsOptions WithClientCertificate(bool skipVerify, string minimumVersion = "TLS1.2") => new()
    {
        SkipVerify = skipVerify,
        MinimumVersion = minimumVersion,
        CertificateChain = server.ClientCertificatePem,
        PrivateKey = server.ClientKeyPem,
    };

    [Fact]
    public async Task With_tls_set_the_connection_is_encrypted_and_presents_the_client_certificate()
    {
        using var database = PostgresDatabase.Open(Options(WithClientCertificate(skipVerify: true)), TestKeys.Key);

        var (ssl, clientDn) = (await database.QueryAsync(
            "SELECT ssl, client_dn FROM pg_stat_ssl WHERE pid = pg_backend_pid();", [],
            reader => (reader.GetBoolean(0), reader.IsDBNull(1) ? "" : reader.GetString(1)), CancellationToken.None))[0];

        Assert.True(ssl);
        Assert.Equal("/CN=" + PostgresServerFixture.Username, clientDn);
    }

    [Fact]
    public async Task Minimum_version_TLS13_is_what_the_connection_uses()
    {
        using var database = PostgresDatabase.Open(Options(WithClientCertificate(skipVerify: true, "TLS1.3")), TestKeys.Key);

        var version = await database.ScalarAsync("SELECT version FROM pg_stat_ssl WHERE pid = pg_backend_pid();", [], CancellationToken.None);

        Assert.Equal("TLSv1.3", version);
    }

    [Fact]
    public void Without_skip_verify_a_server_certificate_nobody_vouches_for_is_refused()
    {
        var error = Assert.Throws<StorageException>(() => PostgresDatabase.Open(Options(WithClientCertificate(skipVerify: false)), TestKeys.Key));

        Assert.StartsWith("storage: cannot open the PostgreSQL database", error.Message, StringComparison.Ordinal);
        Assert.Contains(Chain(error), e => e is System.Security.Authentication.AuthenticationException);
    }

    private static IEnumerable<Exception> Chain(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }

    [Fact]
    public void Without_the_client_certificate_the_server_refuses_the_connection()
    {
        var error = Assert.Throws<StorageException>(() => PostgresDatabase.Open(Options(new PostgresTlsOptions { SkipVerify = true }), TestKeys.Key));

        Assert.Contains("certificate", error.Message, StringComparison.OrdinalIgnoreCase);
    }
}
