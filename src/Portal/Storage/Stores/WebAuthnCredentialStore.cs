using System.Data.Common;
using System.Globalization;
using Portal.Crypto;
using Portal.Users;
using Portal.WebAuthn;

namespace Portal.Storage.Stores;

/// <summary><see cref="IWebAuthnCredentialStore"/> over <c>webauthn_users</c> and <c>webauthn_credentials</c> (V0001, V0005).</summary>
internal sealed class WebAuthnCredentialStore(StorageDatabase database) : IWebAuthnCredentialStore, IEncryptedColumns
{
    /// <summary>Authelia's user handles are 64 random ASCII characters; ASCII keeps the UTF-8 handle equal to the string.</summary>
    public const int UserHandleLength = 64;

    private const string Columns = """
        id, created_at, last_used_at, rpid, username, description, kid, aaguid, attestation_type, attestation_format,
        attachment, transport, sign_count, clone_warning, discoverable, present, verified, backup_eligible, backup_state,
        public_key, attestation, attestation_chain, authenticator, attestation_trusted
        """;

    public async Task<string> GetOrCreateUserHandleAsync(string rpId, string username, CancellationToken cancellationToken = default)
    {
        var existing = await FindUserHandleAsync(rpId, username, cancellationToken);
        if (existing is not null)
        {
            return existing;
        }
        // Two first registrations racing (on any node) both insert; the loser inserts nothing and reads the winner's.
        await database.ExecuteAsync(
            "INSERT INTO webauthn_users (rpid, username, userid) VALUES (@rpid, @username, @userid) ON CONFLICT DO NOTHING;",
            [("@rpid", rpId), ("@username", Usernames.Key(username)), ("@userid", RandomString.Generate(UserHandleLength, RandomString.Alphanumeric))],
            cancellationToken);
        return await FindUserHandleAsync(rpId, username, cancellationToken)
            ?? throw new InvalidOperationException("the WebAuthn user handle was not stored");
    }

    public async Task<string> ImportUserHandleAsync(string rpId, string username, string userHandle, CancellationToken cancellationToken = default)
    {
        // Nothing inserted when the user has a handle already or another user holds this one: the user keeps (or gets) its own.
        await database.ExecuteAsync(
            "INSERT INTO webauthn_users (rpid, username, userid) VALUES (@rpid, @username, @userid) ON CONFLICT DO NOTHING;",
            [("@rpid", rpId), ("@username", Usernames.Key(username)), ("@userid", userHandle)],
            cancellationToken);
        return await GetOrCreateUserHandleAsync(rpId, username, cancellationToken);
    }

    public async Task<string?> FindUserHandleAsync(string rpId, string username, CancellationToken cancellationToken = default) =>
        await database.ScalarAsync(
            "SELECT userid FROM webauthn_users WHERE rpid = @rpid AND username = @username;",
            [("@rpid", rpId), ("@username", Usernames.Key(username))],
            cancellationToken) as string;

    public async Task<string?> FindUsernameByHandleAsync(string rpId, string userHandle, CancellationToken cancellationToken = default) =>
        await database.ScalarAsync(
            "SELECT username FROM webauthn_users WHERE rpid = @rpid AND userid = @userid;",
            [("@rpid", rpId), ("@userid", userHandle)],
            cancellationToken) as string;

    public async Task<IReadOnlyList<WebAuthnCredential>> ListAsync(string rpId, string username, CancellationToken cancellationToken = default) =>
        await database.QueryAsync(
            $"SELECT {Columns} FROM webauthn_credentials WHERE rpid = @rpid AND username = @username ORDER BY id;",
            [("@rpid", rpId), ("@username", Usernames.Key(username))],
            ReadCredential,
            cancellationToken);

    public async Task<IReadOnlyList<WebAuthnCredential>> ListAllAsync(string? username, CancellationToken cancellationToken = default) =>
        await database.QueryAsync(
            $"SELECT {Columns} FROM webauthn_credentials WHERE CAST(@username AS TEXT) IS NULL OR username = @username ORDER BY id;",
            [("@username", username is null ? null : Usernames.Key(username))],
            ReadCredential,
            cancellationToken);

    public async Task<bool> HasAnyAsync(string rpId, string username, CancellationToken cancellationToken = default) =>
        IsTrue(await database.ScalarAsync(
            "SELECT EXISTS (SELECT 1 FROM webauthn_credentials WHERE rpid = @rpid AND username = @username);",
            [("@rpid", rpId), ("@username", Usernames.Key(username))],
            cancellationToken));

    public async Task<bool> HasAnyForUserAsync(string username, CancellationToken cancellationToken = default) =>
        IsTrue(await database.ScalarAsync(
            "SELECT EXISTS (SELECT 1 FROM webauthn_credentials WHERE username = @username);",
            [("@username", Usernames.Key(username))],
            cancellationToken));

    public async Task<WebAuthnCredential?> FindAsync(string rpId, string username, long id, CancellationToken cancellationToken = default) =>
        (await database.QueryAsync(
            $"SELECT {Columns} FROM webauthn_credentials WHERE id = @id AND rpid = @rpid AND username = @username;",
            [("@id", id), ("@rpid", rpId), ("@username", Usernames.Key(username))],
            ReadCredential,
            cancellationToken)).FirstOrDefault();

    public async Task<WebAuthnCredential?> FindByKidAsync(byte[] kid, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kid);
        return (await database.QueryAsync(
            $"SELECT {Columns} FROM webauthn_credentials WHERE kid = @kid;",
            [("@kid", kid)],
            ReadCredential,
            cancellationToken)).FirstOrDefault();
    }

    public Task<(CredentialWriteResult Result, long Id)> AddAsync(WebAuthnCredential credential, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(credential);
        // In one transaction under the user's lock: the duplicate checks and the insert see the same state even with
        // another writer racing.
        return database.InTransactionAsync<(CredentialWriteResult, long)>(async scope =>
        {
            await LockUserAsync(scope, credential.RpId, credential.Username, cancellationToken);
            if (await DescriptionTakenAsync(scope, credential.RpId, credential.Username, credential.Description, exceptId: null, cancellationToken))
            {
                return (CredentialWriteResult.DuplicateDescription, 0);
            }
            // ON CONFLICT DO NOTHING rather than a caught error: on PostgreSQL a failed statement aborts the transaction.
            var id = await scope.ScalarAsync(
                $"""
                INSERT INTO webauthn_credentials
                    (created_at, last_used_at, rpid, username, description, kid, aaguid, attestation_type, attestation_format,
                     attachment, transport, sign_count, clone_warning, discoverable, present, verified, backup_eligible,
                     backup_state, public_key, attestation, attestation_chain, authenticator, attestation_trusted)
                VALUES (@created, CAST(@used AS BIGINT), @rpid, @username, @description, @kid, @aaguid, @atype, @aformat, @attachment, @transport,
                     @signCount, @cloneWarning, @discoverable, @present, @verified, @be, @bs, @publicKey,
                     CAST(@attestation AS {database.Dialect.BytesType}), @chain, @authenticator, @trusted)
                ON CONFLICT DO NOTHING
                RETURNING id;
                """,
                [
                    ("@created", credential.CreatedAt.ToUnixTimeMilliseconds()),
                    ("@used", credential.LastUsedAt?.ToUnixTimeMilliseconds()),
                    ("@cloneWarning", credential.CloneWarning),
                    ("@rpid", credential.RpId),
                    ("@username", Usernames.Key(credential.Username)),
                    ("@description", credential.Description),
                    ("@kid", credential.Kid),
                    ("@aaguid", credential.Aaguid.ToString()),
                    ("@atype", credential.AttestationType),
                    ("@aformat", credential.AttestationFormat),
                    ("@attachment", credential.Attachment),
                    ("@transport", string.Join(',', credential.Transports)),
                    ("@signCount", (long)credential.SignCount),
                    ("@discoverable", credential.Discoverable),
                    ("@present", credential.Present),
                    ("@verified", credential.Verified),
                    ("@be", credential.BackupEligible),
                    ("@bs", credential.BackupState),
                    ("@publicKey", database.Encryption.Encrypt(credential.PublicKey)),
                    ("@attestation", credential.Attestation is null ? null : database.Encryption.Encrypt(credential.Attestation)),
                    ("@chain", string.Join(',', credential.AttestationChain.Select(Convert.ToBase64String))),
                    ("@authenticator", credential.Authenticator),
                    ("@trusted", credential.AttestationTrusted),
                ],
                cancellationToken);
            if (id is not null and not DBNull)
            {
                return (CredentialWriteResult.Done, Convert.ToInt64(id, CultureInfo.InvariantCulture));
            }
            // Nothing inserted: the credential ID is registered already (to anyone), or the description index (SQLite's
            // NOCASE, PostgreSQL's lower()) caught a case variant.
            return IsTrue(await scope.ScalarAsync(
                "SELECT EXISTS (SELECT 1 FROM webauthn_credentials WHERE kid = @kid);", [("@kid", credential.Kid)], cancellationToken))
                ? (CredentialWriteResult.DuplicateCredentialId, 0)
                : (CredentialWriteResult.DuplicateDescription, 0);
        }, cancellationToken);
    }

    public Task<CredentialWriteResult> RenameAsync(string rpId, string username, long id, string description, CancellationToken cancellationToken = default) =>
        database.InTransactionAsync(async scope =>
        {
            await LockUserAsync(scope, rpId, username, cancellationToken);
            if (await DescriptionTakenAsync(scope, rpId, username, description, exceptId: id, cancellationToken))
            {
                return CredentialWriteResult.DuplicateDescription;
            }
            try
            {
                var changed = await scope.ExecuteAsync(
                    "UPDATE webauthn_credentials SET description = @description WHERE id = @id AND rpid = @rpid AND username = @username;",
                    [("@description", description), ("@id", id), ("@rpid", rpId), ("@username", Usernames.Key(username))],
                    cancellationToken);
                return changed == 1 ? CredentialWriteResult.Done : CredentialWriteResult.NotFound;
            }
            catch (DbException e) when (database.Dialect.IsConstraint(e))
            {
                // The description index caught a variant the check above let through; the update was the
                // transaction's only write, so its rollback loses nothing.
                return CredentialWriteResult.DuplicateDescription;
            }
        }, cancellationToken);

    public async Task<CredentialWriteResult> DeleteAsync(string rpId, string username, long id, CancellationToken cancellationToken = default) =>
        await database.ExecuteAsync(
            "DELETE FROM webauthn_credentials WHERE id = @id AND rpid = @rpid AND username = @username;",
            [("@id", id), ("@rpid", rpId), ("@username", Usernames.Key(username))],
            cancellationToken) == 1
            ? CredentialWriteResult.Done
            : CredentialWriteResult.NotFound;

    // The counter rule again, inside the write: of two requests that both read the old counter, the second waits for
    // the first's (row or file) lock, re-checks the condition against the new counter and stores nothing.
    public async Task<bool> UpdateSignInAsync(long id, uint signCount, bool backupState, DateTimeOffset usedAt, CancellationToken cancellationToken = default) =>
        await database.ExecuteAsync(
            """
            UPDATE webauthn_credentials SET sign_count = @signCount, backup_state = @bs, last_used_at = @used
            WHERE id = @id AND clone_warning = FALSE AND (sign_count < @signCount OR (sign_count = 0 AND @signCount = 0));
            """,
            [("@signCount", (long)signCount), ("@bs", backupState), ("@used", usedAt.ToUnixTimeMilliseconds()), ("@id", id)],
            cancellationToken) == 1;

    public Task SetCloneWarningAsync(long id, CancellationToken cancellationToken = default) =>
        database.ExecuteAsync("UPDATE webauthn_credentials SET clone_warning = TRUE WHERE id = @id;", [("@id", id)], cancellationToken);

    public Task SetDiscoverableAsync(long id, CancellationToken cancellationToken = default) =>
        database.ExecuteAsync("UPDATE webauthn_credentials SET discoverable = TRUE WHERE id = @id;", [("@id", id)], cancellationToken);

    /// <summary>The public keys and attestations; a credential whose values do not all decrypt is left as it is.</summary>
    public async Task<IReadOnlyList<EncryptedValues>> ReEncryptAsync(StorageScope scope, StorageEncryption? next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var rows = await scope.QueryAsync(
            "SELECT id, public_key, attestation FROM webauthn_credentials ORDER BY id;",
            [],
            reader => (Id: reader.GetInt64(0), PublicKey: (byte[])reader.GetValue(1), Attestation: reader.IsDBNull(2) ? null : (byte[])reader.GetValue(2)),
            cancellationToken);
        int badKeys = 0, attestations = 0, badAttestations = 0;
        foreach (var row in rows)
        {
            var publicKey = database.Encryption.TryDecrypt(row.PublicKey);
            badKeys += publicKey is null ? 1 : 0;
            var attestation = row.Attestation is null ? null : database.Encryption.TryDecrypt(row.Attestation);
            attestations += row.Attestation is null ? 0 : 1;
            badAttestations += row.Attestation is not null && attestation is null ? 1 : 0;
            if (next is not null && publicKey is not null && (row.Attestation is null || attestation is not null))
            {
                await scope.ExecuteAsync(
                    $"UPDATE webauthn_credentials SET public_key = @publicKey, attestation = CAST(@attestation AS {database.Dialect.BytesType}) WHERE id = @id;",
                    [("@publicKey", next.Encrypt(publicKey)), ("@attestation", attestation is null ? null : next.Encrypt(attestation)), ("@id", row.Id)],
                    cancellationToken);
            }
        }
        return
        [
            new EncryptedValues("webauthn_credentials.public_key", rows.Count, badKeys),
            new EncryptedValues("webauthn_credentials.attestation", attestations, badAttestations),
        ];
    }

    /// <summary>
    /// Serialises writes to one user's credentials for the rest of the transaction, so two nodes cannot both find a
    /// description free and both store it.
    /// </summary>
    private Task LockUserAsync(StorageScope scope, string rpId, string username, CancellationToken cancellationToken) =>
        database.Dialect.LockAsync(scope, "portal webauthn credentials", rpId + "/" + Usernames.Key(username), cancellationToken);

    /// <summary>
    /// Compared in C# with a Unicode case-insensitive comparison, whatever the database's collation: SQLite's NOCASE
    /// folds ASCII only, so "Ÿubikey" and "ÿubikey" would otherwise both be accepted.
    /// </summary>
    private static async Task<bool> DescriptionTakenAsync(StorageScope scope, string rpId, string username,
        string description, long? exceptId, CancellationToken cancellationToken)
    {
        var taken = await scope.QueryAsync(
            "SELECT id, description FROM webauthn_credentials WHERE rpid = @rpid AND username = @username;",
            [("@rpid", rpId), ("@username", Usernames.Key(username))],
            reader => (Id: reader.GetInt64(0), Description: reader.GetString(1)),
            cancellationToken);
        return taken.Exists(t => t.Id != exceptId && string.Equals(t.Description, description, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>An <c>EXISTS</c>: a boolean on PostgreSQL, 0 or 1 on SQLite.</summary>
    private static bool IsTrue(object? exists) => Convert.ToBoolean(exists, CultureInfo.InvariantCulture);

    private WebAuthnCredential ReadCredential(DbDataReader reader) => new()
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
        AttestationChain = [.. reader.GetString(21).Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Convert.FromBase64String)],
        Authenticator = reader.GetString(22),
        AttestationTrusted = reader.GetBoolean(23),
    };
}
