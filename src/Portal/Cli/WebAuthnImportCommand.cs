using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Storage;
using Portal.Storage.Postgres;
using Portal.Storage.Sqlite;
using Portal.WebAuthn;

namespace Portal.Cli;

/// <summary>
/// <c>portal storage user webauthn import FILE</c>: security keys and passkeys from the file Authelia's
/// <c>authelia storage user webauthn export</c> writes. The RP ID stays the portal's host, so a key imported for the
/// same host signs in without registering again.
/// </summary>
internal static class WebAuthnImportCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args is not ["import", .. var rest])
        {
            throw new CliUsageException("expected 'storage user webauthn import FILE'");
        }
        var parsed = CliArgs.Parse(rest, ["config"]);
        if (parsed.Positionals.Count != 1)
        {
            throw new CliUsageException("expected the file to import: 'storage user webauthn import FILE'");
        }
        var file = parsed.Positionals[0];
        if (!File.Exists(file))
        {
            throw new CliUsageException($"'{file}' does not exist");
        }
        var (entries, errors) = WebAuthnImportFile.Read(await File.ReadAllTextAsync(file), DateTimeOffset.UtcNow);
        if (errors.Count > 0)
        {
            foreach (var error in errors)
            {
                await stderr.WriteLineAsync($"Error: {file}: {error}");
            }
            await stderr.WriteLineAsync("Nothing imported.");
            return 1;
        }
        var config = CliConfig.Load(parsed, stderr);
        if (!config.IsValid)
        {
            await stderr.WriteLineAsync("Can't continue due to the errors loading the configuration.");
            return 1;
        }
        var storage = config.Options.Storage;
        if (storage.Postgres is not null)
        {
            using var postgres = PostgresDatabase.Open(storage, TimeProvider.System, NullLogger<PostgresDatabase>.Instance);
            return await ImportAsync(new PostgresWebAuthnCredentialStore(postgres), entries, stdout, stderr);
        }
        var path = storage.Local?.Path ?? throw new CliUsageException("the configuration has no 'storage.local.path' or 'storage.postgres'");
        // As serve: the key generated beside the database when none is configured.
        var key = string.IsNullOrEmpty(storage.EncryptionKey) ? GeneratedEncryptionKey.LoadOrCreate(path).Key : storage.EncryptionKey;
        using var sqlite = SqliteDatabase.Open(path, key);
        return await ImportAsync(new SqliteWebAuthnCredentialStore(sqlite), entries, stdout, stderr);
    }

    /// <summary>Each credential under its user's handle for its RP ID (made if the user has none); a duplicate is reported and skipped.</summary>
    private static async Task<int> ImportAsync(IWebAuthnCredentialStore store, IReadOnlyList<WebAuthnCredential> entries, TextWriter stdout, TextWriter stderr)
    {
        var imported = 0;
        foreach (var credential in entries)
        {
            await store.GetOrCreateUserHandleAsync(credential.RpId, credential.Username);
            var (result, _) = await store.AddAsync(credential);
            var what = $"{credential.Username} '{credential.Description}' ({credential.RpId})";
            switch (result)
            {
                case CredentialWriteResult.Done:
                    imported++;
                    await stdout.WriteLineAsync($"  {what}");
                    break;
                case CredentialWriteResult.DuplicateCredentialId:
                    await stderr.WriteLineAsync($"Skipped {what}: that credential is already registered");
                    break;
                default:
                    await stderr.WriteLineAsync($"Skipped {what}: the user already has a key with that name");
                    break;
            }
        }
        await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Imported {imported} of {entries.Count} WebAuthn credentials."));
        return imported == entries.Count ? 0 : 1;
    }
}
