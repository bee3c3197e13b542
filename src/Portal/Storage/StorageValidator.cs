using Portal.Configuration;
using Portal.Storage.Postgres;

namespace Portal.Storage;

/// <summary>
/// Checks the <c>storage</c> section: exactly one engine, <c>local</c> (SQLite) or <c>postgres</c>; <c>mysql</c> is
/// reported by the loader as unsupported. What passes here is what <see cref="Postgres.PostgresDatabase"/> and
/// <see cref="Sqlite.SqliteDatabase"/> open.
/// </summary>
internal static class StorageValidator
{
    private const string Section = "storage";

    public static void Validate(PortalOptions options, ConfigDiagnostics diag)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(diag);
        var storage = options.Storage;

        if (string.IsNullOrWhiteSpace(storage.EncryptionKey))
        {
            if (storage.Postgres is not null)
            {
                // No file beside a shared database to keep a generated key in, and every node must hold the same one.
                diag.Error(Section, "encryption_key", "is required with 'postgres': every node must be given the same key");
            }
            // A working first start matters more for a homelab than a missing secret; the generated key is kept
            // beside the database and the admin is told where (GeneratedEncryptionKey).
            else if (storage.Local is { Path.Length: > 0 } local)
            {
                diag.Warning(Section, "encryption_key", $"is not set: a random key is generated on first start and kept in '{GeneratedEncryptionKey.PathFor(local.Path)}' (back it up with the database)");
            }
        }
        else if (storage.EncryptionKey.Length < StorageEncryption.MinimumKeyLength)
        {
            diag.Error(Section, "encryption_key", $"must be {StorageEncryption.MinimumKeyLength} characters or longer");
        }

        if (storage.Postgres is { } postgres)
        {
            if (storage.Local is not null)
            {
                diag.Error(Section, "postgres", "cannot be set together with 'local': configure exactly one storage engine");
            }
            ValidatePostgres(postgres, diag);
        }
        else if (storage.Local is null || string.IsNullOrWhiteSpace(storage.Local.Path))
        {
            diag.Error(ConfigDiagnostics.Join(Section, "local"), "path", "is required");
        }
    }

    private static void ValidatePostgres(PostgresStorageOptions postgres, ConfigDiagnostics diag)
    {
        const string path = "storage.postgres";
        if (!PostgresAddress.TryParse(postgres.Address, out _, out var error))
        {
            diag.Error(path, "address", error);
        }
        if (string.IsNullOrWhiteSpace(postgres.Database))
        {
            diag.Error(path, "database", "is required");
        }
        if (string.IsNullOrWhiteSpace(postgres.Schema))
        {
            diag.Error(path, "schema", "must not be empty (the default is 'public')");
        }
        else if (postgres.Schema.Length > 63 || postgres.Schema.Any(c => char.IsControl(c) || c == '"'))
        {
            diag.Error(path, "schema", $"must be a PostgreSQL identifier of at most 63 characters without quotes ('{postgres.Schema}')");
        }
        if (string.IsNullOrWhiteSpace(postgres.Username))
        {
            diag.Error(path, "username", "is required");
        }
        if (postgres.Timeout < TimeSpan.FromSeconds(1))
        {
            // Timeouts are counted in whole seconds by the client; anything shorter would mean "no timeout".
            diag.Error(path, "timeout", "must be a duration of at least 1s");
        }
        if (postgres.Tls is { } tls)
        {
            const string tlsPath = "storage.postgres.tls";
            if (!string.Equals(tls.MinimumVersion, "TLS1.2", StringComparison.OrdinalIgnoreCase) &&
                !string.Equals(tls.MinimumVersion, "TLS1.3", StringComparison.OrdinalIgnoreCase))
            {
                diag.Error(tlsPath, "minimum_version", $"must be one of 'TLS1.2', 'TLS1.3' but is '{tls.MinimumVersion}'");
            }
            var hasChain = tls.CertificateChain.Length > 0;
            var hasKey = tls.PrivateKey.Length > 0;
            if (hasChain != hasKey)
            {
                diag.Error(tlsPath, hasChain ? "private_key" : "certificate_chain", "is required when the other of 'certificate_chain' and 'private_key' is set");
            }
            var missing = false;
            foreach (var (key, value) in new[] { ("certificate_chain", tls.CertificateChain), ("private_key", tls.PrivateKey) })
            {
                // Inline PEM, as Authelia's files carry it, or the path of a PEM file.
                if (value.Length > 0 && !value.TrimStart().StartsWith("-----BEGIN", StringComparison.Ordinal) && !File.Exists(value))
                {
                    diag.Error(tlsPath, key, $"is neither PEM nor the path of an existing file ('{value}')");
                    missing = true;
                }
            }
            if (hasChain && hasKey && !missing)
            {
                try
                {
                    PostgresClientCertificate.Load(tls)?.Dispose();
                }
                catch (StorageException e)
                {
                    diag.Error(tlsPath, "certificate_chain", $"and 'private_key' do not make a usable client certificate: {e.InnerException?.Message ?? e.Message}");
                }
            }
            if (PostgresAddress.TryParse(postgres.Address, out var address, out _) && address.IsUnixSocket)
            {
                diag.Error(tlsPath, "is set, but PostgreSQL does not speak TLS over a unix socket: remove 'tls' or use a 'tcp://' address");
            }
        }
    }
}
