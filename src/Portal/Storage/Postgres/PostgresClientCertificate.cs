using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Portal.Configuration;

namespace Portal.Storage.Postgres;

/// <summary>
/// The client certificate of <c>storage.postgres.tls</c>: <c>certificate_chain</c> and <c>private_key</c> hold PEM
/// inline (as in Authelia's files) or name PEM files. Validation and the data source load it the same way, so a
/// configuration that validates also connects with it.
/// </summary>
internal static class PostgresClientCertificate
{
    /// <returns>null when no client certificate is configured</returns>
    /// <exception cref="StorageException">The PEM cannot be read or the key does not match the certificate.</exception>
    public static X509Certificate2? Load(PostgresTlsOptions? tls)
    {
        if (tls is null || (tls.CertificateChain.Length == 0 && tls.PrivateKey.Length == 0))
        {
            return null;
        }
        try
        {
            var chain = Read(tls.CertificateChain);
            var key = Read(tls.PrivateKey);
            using var ephemeral = X509Certificate2.CreateFromPem(chain, key);
            // SslStream on Linux needs a certificate whose key is not ephemeral; a PKCS#12 round trip gives one.
            return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new StorageException($"storage: postgres: tls: the client certificate cannot be loaded: {e.Message}", e);
        }
    }

    private static string Read(string value) =>
        value.TrimStart().StartsWith("-----BEGIN", StringComparison.Ordinal) ? value : File.ReadAllText(value);
}
