using Portal.Configuration;

namespace Portal.Storage;

/// <summary>
/// Checks the <c>storage</c> section. Portal stores only in SQLite, so <c>local.path</c> is the one backend;
/// <c>mysql</c>/<c>postgres</c> are not keys of ours and are reported by the loader as unknown keys.
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
            // A working first start matters more for a homelab than a missing secret; the generated key is kept
            // beside the database and the admin is told where (GeneratedEncryptionKey).
            if (storage.Local is { Path.Length: > 0 } local)
            {
                diag.Warning(Section, "encryption_key", $"is not set: a random key is generated on first start and kept in '{GeneratedEncryptionKey.PathFor(local.Path)}' (back it up with the database)");
            }
        }
        else if (storage.EncryptionKey.Length < StorageEncryption.MinimumKeyLength)
        {
            diag.Error(Section, "encryption_key", $"must be {StorageEncryption.MinimumKeyLength} characters or longer");
        }

        if (storage.Local is null || string.IsNullOrWhiteSpace(storage.Local.Path))
        {
            diag.Error(ConfigDiagnostics.Join(Section, "local"), "path", "is required");
        }
    }
}
