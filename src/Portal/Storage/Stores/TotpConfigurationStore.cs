using System.Data.Common;
using System.Globalization;
using Portal.Totp;
using Portal.Users;

namespace Portal.Storage.Stores;

/// <summary>
/// <see cref="ITotpConfigurationStore"/> over the <c>totp_configurations</c> table (V0006), written once for every
/// engine: its SQL is the same on SQLite and PostgreSQL (named <c>@</c> parameters, which both providers read;
/// integers read through <see cref="Convert"/>, as the engines return different integer types). The secret is kept
/// AES-GCM encrypted with the storage key.
/// </summary>
internal sealed class TotpConfigurationStore(StorageDatabase database) : ITotpConfigurationStore, IEncryptedColumns
{
    private const string Columns = "id, username, issuer, algorithm, digits, period, secret, created_at, last_used_at, last_used_step";

    public async Task<TotpConfiguration?> FindAsync(string username, CancellationToken cancellationToken)
    {
        var rows = await database.RunAsync(scope => scope.QueryAsync(
            $"SELECT {Columns} FROM totp_configurations WHERE username = @username;",
            [("@username", Usernames.Key(username))],
            Read,
            cancellationToken), cancellationToken);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<bool> HasAsync(string username, CancellationToken cancellationToken)
    {
        var count = await database.RunAsync(scope => scope.ScalarAsync(
            "SELECT COUNT(*) FROM totp_configurations WHERE username = @username;",
            [("@username", Usernames.Key(username))],
            cancellationToken), cancellationToken);
        return Convert.ToInt64(count, CultureInfo.InvariantCulture) > 0;
    }

    public Task SaveAsync(TotpConfiguration configuration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var user = Usernames.Key(configuration.Username);
        // Delete then insert, not an upsert: a new secret gets a new id, so a code checked against the old secret
        // while it was replaced cannot mark a step of the new one.
        return database.InTransactionAsync(async scope =>
        {
            await scope.ExecuteAsync("DELETE FROM totp_configurations WHERE username = @username;", [("@username", user)], cancellationToken);
            return await scope.ExecuteAsync(
                """
                INSERT INTO totp_configurations (username, issuer, algorithm, digits, period, secret, created_at, last_used_at, last_used_step)
                VALUES (@username, @issuer, @algorithm, @digits, @period, @secret, @created_at, @last_used_at, @last_used_step);
                """,
                [
                    ("@username", user),
                    ("@issuer", configuration.Issuer),
                    ("@algorithm", configuration.Algorithm),
                    ("@digits", configuration.Digits),
                    ("@period", configuration.Period),
                    ("@secret", database.Encryption.Encrypt(configuration.Secret)),
                    ("@created_at", configuration.CreatedAt.ToUnixTimeMilliseconds()),
                    ("@last_used_at", configuration.LastUsedAt?.ToUnixTimeMilliseconds()),
                    ("@last_used_step", configuration.LastUsedStep),
                ],
                cancellationToken);
        }, cancellationToken);
    }

    public async Task<bool> DeleteAsync(string username, CancellationToken cancellationToken) =>
        await database.RunAsync(scope => scope.ExecuteAsync(
            "DELETE FROM totp_configurations WHERE username = @username;",
            [("@username", Usernames.Key(username))],
            cancellationToken), cancellationToken) > 0;

    /// <remarks>
    /// One conditional UPDATE: of two uses of one step on any nodes, the first changes the row; the second (PostgreSQL:
    /// after waiting for the first's row lock, then re-reading the row) no longer matches and changes nothing.
    /// </remarks>
    public async Task<bool> TryUseStepAsync(long id, long step, DateTimeOffset now, bool allowReuse, CancellationToken cancellationToken)
    {
        var sql = allowReuse
            ? "UPDATE totp_configurations SET last_used_at = @now, last_used_step = @step WHERE id = @id;"
            : "UPDATE totp_configurations SET last_used_at = @now, last_used_step = @step WHERE id = @id AND (last_used_step IS NULL OR last_used_step < @step);";
        var changed = await database.RunAsync(scope => scope.ExecuteAsync(
            sql,
            [("@now", now.ToUnixTimeMilliseconds()), ("@step", step), ("@id", id)],
            cancellationToken), cancellationToken);
        return changed == 1;
    }

    public async Task<IReadOnlyList<TotpConfiguration>> ListAsync(CancellationToken cancellationToken) =>
        await database.RunAsync(scope => scope.QueryAsync(
            $"SELECT {Columns} FROM totp_configurations ORDER BY username;",
            [],
            Read,
            cancellationToken), cancellationToken);

    public async Task<IReadOnlyList<EncryptedValues>> ReEncryptAsync(StorageScope scope, StorageEncryption? next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var rows = await scope.QueryAsync(
            "SELECT id, secret FROM totp_configurations ORDER BY id;",
            [],
            reader => (Id: Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture), Secret: (byte[])reader.GetValue(1)),
            cancellationToken);
        var unreadable = 0;
        foreach (var row in rows)
        {
            var secret = database.Encryption.TryDecrypt(row.Secret);
            unreadable += secret is null ? 1 : 0;
            if (next is not null && secret is not null)
            {
                await scope.ExecuteAsync(
                    "UPDATE totp_configurations SET secret = @secret WHERE id = @id;",
                    [("@secret", next.Encrypt(secret)), ("@id", row.Id)],
                    cancellationToken);
            }
        }
        return [new EncryptedValues("totp_configurations.secret", rows.Count, unreadable)];
    }

    private TotpConfiguration Read(DbDataReader reader) => new(
        Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetString(3),
        Convert.ToInt32(reader.GetValue(4), CultureInfo.InvariantCulture),
        Convert.ToInt32(reader.GetValue(5), CultureInfo.InvariantCulture),
        database.Encryption.Decrypt((byte[])reader.GetValue(6)),
        DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(reader.GetValue(7), CultureInfo.InvariantCulture)),
        reader.IsDBNull(8) ? null : DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(reader.GetValue(8), CultureInfo.InvariantCulture)),
        reader.IsDBNull(9) ? null : Convert.ToInt64(reader.GetValue(9), CultureInfo.InvariantCulture));
}
