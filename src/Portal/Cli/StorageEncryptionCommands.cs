using System.Globalization;
using Portal.Storage;

namespace Portal.Cli;

/// <summary>
/// <c>portal storage encryption check|change-key</c>, in the shape of Authelia's: <c>check</c> proves the configured
/// key against the database and decrypts every encrypted value; <c>change-key --new-encryption-key KEY</c> moves
/// every encrypted value (and what is derived from the key, such as one-time code signatures) to the new key in one
/// transaction, so a failure leaves the database as it was. Every portal node must be stopped first and restarted
/// with the new <c>storage.encryption_key</c>: a node still holding the old key would write values nothing can read.
/// </summary>
internal static class StorageEncryptionCommands
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var (parsed, nextKey) = args switch
        {
            ["check", .. var rest] => (CliArgs.Parse(rest, ["config"]), (string?)null),
            ["change-key", .. var rest] => NewKey(CliArgs.Parse(rest, ["config", "new-encryption-key"])),
            _ => throw new CliUsageException("expected 'storage encryption check|change-key'"),
        };
        if (parsed.Positionals.Count > 0)
        {
            throw new CliUsageException($"unexpected argument '{parsed.Positionals[0]}'");
        }
        // Opening proves the configured key: a wrong one stops here with the database's own message.
        using var database = CliStorage.Open(parsed, stderr);
        if (database is null)
        {
            return 1;
        }
        var columns = await database.ReEncryptAsync(StorageServices.EncryptedStores(database, TimeProvider.System), nextKey, CancellationToken.None);
        foreach (var column in columns)
        {
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  {column.Column,-34} {column.Count} values{(column.Unreadable > 0 ? $", {column.Unreadable} DO NOT DECRYPT" : "")}"));
        }
        if (nextKey is not null)
        {
            await stdout.WriteLineAsync($"Re-encrypted {database.Where} under the new key. Set storage.encryption_key to it before starting portal again.");
            return 0;
        }
        var unreadable = columns.Sum(c => c.Unreadable);
        if (unreadable > 0)
        {
            return CliApp.Fail(stderr, string.Create(CultureInfo.InvariantCulture,
                $"the key opens {database.Where} but {unreadable} encrypted values do not decrypt with it (damaged, or written under another key)"));
        }
        await stdout.WriteLineAsync($"The encryption key matches {database.Where}; every encrypted value decrypts.");
        return 0;
    }

    private static (CliArgs, string?) NewKey(CliArgs args)
    {
        var key = args.Required("new-encryption-key");
        return key.Length >= StorageEncryption.MinimumKeyLength
            ? (args, key)
            : throw new CliUsageException(string.Create(CultureInfo.InvariantCulture,
                $"--new-encryption-key must be {StorageEncryption.MinimumKeyLength} characters or longer"));
    }
}
