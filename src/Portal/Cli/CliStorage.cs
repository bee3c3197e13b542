using Microsoft.Extensions.Logging.Abstractions;
using Portal.Configuration;
using Portal.Storage;
using Portal.Storage.Postgres;
using Portal.Storage.Sqlite;

namespace Portal.Cli;

/// <summary>The configured database, opened as <c>serve</c> opens it, for the <c>portal storage</c> commands that read or change rows.</summary>
internal static class CliStorage
{
    /// <summary>
    /// Loads the configuration named by <paramref name="args"/> and opens its database: migrated to this build's
    /// schema and proven to hold the key (<c>storage.encryption_key</c>, or the SQLite file's generated one).
    /// </summary>
    /// <returns>null when the configuration is invalid (its errors are printed)</returns>
    /// <exception cref="StorageException">The database cannot be opened or the key is not its key.</exception>
    public static StorageDatabase? Open(CliArgs args, TextWriter stderr)
    {
        var config = CliConfig.Load(args, stderr);
        if (!config.IsValid)
        {
            stderr.WriteLine("Can't continue due to the errors loading the configuration.");
            return null;
        }
        return Open(config.Options.Storage);
    }

    public static StorageDatabase Open(StorageOptions storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        if (storage.Postgres is not null)
        {
            return PostgresDatabase.Open(storage, TimeProvider.System, NullLogger<PostgresDatabase>.Instance);
        }
        var path = storage.Local?.Path ?? throw new StorageException("storage: local: option 'path' is required");
        var key = storage.EncryptionKey.Length > 0 ? storage.EncryptionKey : GeneratedEncryptionKey.LoadOrCreate(path).Key;
        return SqliteDatabase.Open(path, key);
    }
}
