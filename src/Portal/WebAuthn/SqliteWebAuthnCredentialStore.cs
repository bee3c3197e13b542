using System.Text;
using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Portal.Crypto;
using Portal.Storage;
using Portal.Users;

namespace Portal.WebAuthn;

/// <summary><see cref="IWebAuthnCredentialStore"/> over <c>webauthn_users</c> and <c>webauthn_credentials</c> (V0001).</summary>
internal sealed class SqliteWebAuthnCredentialStore(SqliteDatabase database) : IWebAuthnCredentialStore
{
    /// <summary>Authelia's user handles are 64 random ASCII characters; ASCII keeps the UTF-8 handle equal to the string.</summary>
    public const int UserHandleLength = 64;

    private const string Columns = """
        id, created_at, last_used_at, rpid, username, description, kid, aaguid, attestation_type, attestation_format,
        attachment, transport, sign_count, clone_warning, discoverable, present, verified, backup_eligible, backup_state,
        public_key, attestation
        """;

    private const int SqliteConstraint = 19;

    public async Task<string> GetOrCreateUserHandleAsync(string rpId, string username, CancellationToken cancellationToken = default)
    {
        var existing = await FindUserHandleAsync(rpId, username, cancellationToken);
        if (existing is not null)
        {
            return existing;
        }
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var insert = connection.CreateCommand();
        // OR IGNORE: two first registrations racing both insert; the loser's row is dropped and it reads the winner's.
        insert.CommandText = "INSERT OR IGNORE INTO webauthn_users (rpid, username, userid) VALUES ($rpid, $username, $userid);";
        insert.Parameters.AddWithValue("$rpid", rpId);
        insert.Parameters.AddWithValue("$username", Usernames.Key(username));
        insert.Parameters.AddWithValue("$userid", RandomString.Generate(UserHandleLength, RandomString.Alphanumeric));
        await insert.ExecuteNonQueryAsync(cancellationToken);
        return await FindUserHandleAsync(rpId, username, cancellationToken)
            ?? throw new InvalidOperationException("the WebAuthn user handle was not stored");
    }

    public async Task<string?> FindUserHandleAsync(string rpId, string username, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT userid FROM webauthn_users WHERE rpid = $rpid AND username = $username;";
        command.Parameters.AddWithValue("$rpid", rpId);
        command.Parameters.AddWithValue("$username", Usernames.Key(username));
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    public async Task<string?> FindUsernameByHandleAsync(string rpId, string userHandle, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT username FROM webauthn_users WHERE rpid = $rpid AND userid = $userid;";
        command.Parameters.AddWithValue("$rpid", rpId);
        command.Parameters.AddWithValue("$userid", userHandle);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    public async Task<IReadOnlyList<WebAuthnCredential>> ListAsync(string rpId, string username, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM webauthn_credentials WHERE rpid = $rpid AND username = $username ORDER BY id;";
        command.Parameters.AddWithValue("$rpid", rpId);
        command.Parameters.AddWithValue("$username", Usernames.Key(username));
        return await ReadAllAsync(command, cancellationToken);
    }

    public async Task<bool> HasAnyAsync(string rpId, string username, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT EXISTS (SELECT 1 FROM webauthn_credentials WHERE rpid = $rpid AND username = $username);";
        command.Parameters.AddWithValue("$rpid", rpId);
        command.Parameters.AddWithValue("$username", Usernames.Key(username));
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) != 0;
    }

    public async Task<WebAuthnCredential?> FindAsync(string rpId, string username, long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM webauthn_credentials WHERE id = $id AND rpid = $rpid AND username = $username;";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$rpid", rpId);
        command.Parameters.AddWithValue("$username", Usernames.Key(username));
        return (await ReadAllAsync(command, cancellationToken)).FirstOrDefault();
    }

    public async Task<WebAuthnCredential?> FindByKidAsync(byte[] kid, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kid);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM webauthn_credentials WHERE kid = $kid;";
        command.Parameters.AddWithValue("$kid", kid);
        return (await ReadAllAsync(command, cancellationToken)).FirstOrDefault();
    }

    public async Task<(CredentialWriteResult Result, long Id)> AddAsync(WebAuthnCredential credential, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(credential);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        // IMMEDIATE: the duplicate checks and the insert see the same state even with another writer racing.
        await using var transaction = connection.BeginTransaction(deferred: false);
        if (await DescriptionTakenAsync(connection, transaction, credential.RpId, credential.Username, credential.Description, exceptId: null, cancellationToken))
        {
            return (CredentialWriteResult.DuplicateDescription, 0);
        }
        await using (var exists = connection.CreateCommand())
        {
            exists.Transaction = transaction;
            exists.CommandText = "SELECT EXISTS (SELECT 1 FROM webauthn_credentials WHERE kid = $kid);";
            exists.Parameters.AddWithValue("$kid", credential.Kid);
            if (Convert.ToInt64(await exists.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) != 0)
            {
                return (CredentialWriteResult.DuplicateCredentialId, 0);
            }
        }
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO webauthn_credentials
                (created_at, last_used_at, rpid, username, description, kid, aaguid, attestation_type, attestation_format,
                 attachment, transport, sign_count, clone_warning, discoverable, present, verified, backup_eligible,
                 backup_state, public_key, attestation)
            VALUES ($created, NULL, $rpid, $username, $description, $kid, $aaguid, $atype, $aformat, $attachment, $transport,
                 $signCount, 0, $discoverable, $present, $verified, $be, $bs, $publicKey, $attestation)
            RETURNING id;
            """;
        insert.Parameters.AddWithValue("$created", credential.CreatedAt.ToUnixTimeMilliseconds());
        insert.Parameters.AddWithValue("$rpid", credential.RpId);
        insert.Parameters.AddWithValue("$username", Usernames.Key(credential.Username));
        insert.Parameters.AddWithValue("$description", credential.Description);
        insert.Parameters.AddWithValue("$kid", credential.Kid);
        insert.Parameters.AddWithValue("$aaguid", credential.Aaguid.ToString());
        insert.Parameters.AddWithValue("$atype", credential.AttestationType);
        insert.Parameters.AddWithValue("$aformat", credential.AttestationFormat);
        insert.Parameters.AddWithValue("$attachment", credential.Attachment);
        insert.Parameters.AddWithValue("$transport", string.Join(',', credential.Transports));
        insert.Parameters.AddWithValue("$signCount", (long)credential.SignCount);
        insert.Parameters.AddWithValue("$discoverable", credential.Discoverable);
        insert.Parameters.AddWithValue("$present", credential.Present);
        insert.Parameters.AddWithValue("$verified", credential.Verified);
        insert.Parameters.AddWithValue("$be", credential.BackupEligible);
        insert.Parameters.AddWithValue("$bs", credential.BackupState);
        insert.Parameters.AddWithValue("$publicKey", database.Encryption.Encrypt(credential.PublicKey));
        insert.Parameters.AddWithValue("$attestation", credential.Attestation is null ? DBNull.Value : database.Encryption.Encrypt(credential.Attestation));
        long id;
        try
        {
            id = Convert.ToInt64(await insert.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == SqliteConstraint)
        {
            // The NOCASE index caught an ASCII-only case variant, or the kid appeared meanwhile.
            return (e.Message.Contains("kid", StringComparison.Ordinal) ? CredentialWriteResult.DuplicateCredentialId : CredentialWriteResult.DuplicateDescription, 0);
        }
        await transaction.CommitAsync(cancellationToken);
        return (CredentialWriteResult.Done, id);
    }

    public async Task<CredentialWriteResult> RenameAsync(string rpId, string username, long id, string description, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        if (await DescriptionTakenAsync(connection, transaction, rpId, username, description, exceptId: id, cancellationToken))
        {
            return CredentialWriteResult.DuplicateDescription;
        }
        await using var update = connection.CreateCommand();
        update.Transaction = transaction;
        update.CommandText = "UPDATE webauthn_credentials SET description = $description WHERE id = $id AND rpid = $rpid AND username = $username;";
        update.Parameters.AddWithValue("$description", description);
        update.Parameters.AddWithValue("$id", id);
        update.Parameters.AddWithValue("$rpid", rpId);
        update.Parameters.AddWithValue("$username", Usernames.Key(username));
        int changed;
        try
        {
            changed = await update.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == SqliteConstraint)
        {
            return CredentialWriteResult.DuplicateDescription;
        }
        await transaction.CommitAsync(cancellationToken);
        return changed == 1 ? CredentialWriteResult.Done : CredentialWriteResult.NotFound;
    }

    public async Task<CredentialWriteResult> DeleteAsync(string rpId, string username, long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM webauthn_credentials WHERE id = $id AND rpid = $rpid AND username = $username;";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$rpid", rpId);
        command.Parameters.AddWithValue("$username", Usernames.Key(username));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1 ? CredentialWriteResult.Done : CredentialWriteResult.NotFound;
    }

    public async Task<bool> UpdateSignInAsync(long id, uint signCount, bool backupState, DateTimeOffset usedAt, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // The counter rule again, inside the write: two requests that both read the old counter cannot both store.
        command.CommandText = """
            UPDATE webauthn_credentials SET sign_count = $signCount, backup_state = $bs, last_used_at = $used
            WHERE id = $id AND clone_warning = 0 AND (sign_count < $signCount OR (sign_count = 0 AND $signCount = 0));
            """;
        command.Parameters.AddWithValue("$signCount", (long)signCount);
        command.Parameters.AddWithValue("$bs", backupState);
        command.Parameters.AddWithValue("$used", usedAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$id", id);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<bool> TryConsumeCeremonyAsync(string ceremonyState, DateTimeOffset now, TimeSpan keepFor, CancellationToken cancellationToken = default)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(ceremonyState));
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            DELETE FROM webauthn_used_ceremonies WHERE used_at < $expired;
            INSERT INTO webauthn_used_ceremonies (ceremony_hash, used_at) VALUES ($hash, $now) ON CONFLICT DO NOTHING;
            """;
        command.Parameters.AddWithValue("$expired", (now - keepFor).ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$hash", hash);
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
        await using var changes = connection.CreateCommand();
        changes.CommandText = "SELECT changes();";
        return Convert.ToInt64(await changes.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) == 1;
    }

    public async Task SetCloneWarningAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE webauthn_credentials SET clone_warning = 1 WHERE id = $id;";
        command.Parameters.AddWithValue("$id", id);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task SetDiscoverableAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE webauthn_credentials SET discoverable = 1 WHERE id = $id;";
        command.Parameters.AddWithValue("$id", id);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Compared in C# with a Unicode case-insensitive comparison: SQLite's NOCASE folds ASCII only, so "Ÿubikey" and
    /// "ÿubikey" would otherwise both be accepted.
    /// </summary>
    private static async Task<bool> DescriptionTakenAsync(SqliteConnection connection, SqliteTransaction transaction, string rpId, string username,
        string description, long? exceptId, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT id, description FROM webauthn_credentials WHERE rpid = $rpid AND username = $username;";
        command.Parameters.AddWithValue("$rpid", rpId);
        command.Parameters.AddWithValue("$username", Usernames.Key(username));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (reader.GetInt64(0) != exceptId && string.Equals(reader.GetString(1), description, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    private async Task<List<WebAuthnCredential>> ReadAllAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var list = new List<WebAuthnCredential>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new WebAuthnCredential
            {
                Id = reader.GetInt64(0),
                CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
                LastUsedAt = reader.IsDBNull(2) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
                RpId = reader.GetString(3),
                Username = reader.GetString(4),
                Description = reader.GetString(5),
                Kid = (byte[])reader.GetValue(6),
                Aaguid = !reader.IsDBNull(7) && Guid.TryParse(reader.GetString(7), out var aaguid) ? aaguid : Guid.Empty,
                AttestationType = reader.GetString(8),
                AttestationFormat = reader.GetString(9),
                Attachment = reader.GetString(10),
                Transports = reader.GetString(11).Split(',', StringSplitOptions.RemoveEmptyEntries),
                SignCount = (uint)reader.GetInt64(12),
                CloneWarning = reader.GetBoolean(13),
                Discoverable = reader.GetBoolean(14),
                Present = reader.GetBoolean(15),
                Verified = reader.GetBoolean(16),
                BackupEligible = reader.GetBoolean(17),
                BackupState = reader.GetBoolean(18),
                PublicKey = database.Encryption.Decrypt((byte[])reader.GetValue(19)),
                Attestation = reader.IsDBNull(20) ? null : database.Encryption.Decrypt((byte[])reader.GetValue(20)),
            });
        }
        return list;
    }
}
