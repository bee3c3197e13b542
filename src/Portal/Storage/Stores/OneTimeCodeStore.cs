using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Portal.Crypto;
using Portal.Elevation;
using Portal.Users;

namespace Portal.Storage.Stores;

/// <summary>
/// <see cref="IOneTimeCodeStore"/> over the <c>one_time_code</c> table (V0001, V0002). The code itself is kept
/// AES-GCM encrypted; the row is found by its signature.
/// </summary>
internal sealed class OneTimeCodeStore : IOneTimeCodeStore, IEncryptedColumns
{
    private readonly StorageDatabase _database;
    private readonly TimeProvider _time;
    private readonly OneTimeCodeSigner _signer;

    public OneTimeCodeStore(StorageDatabase database, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(time);
        _database = database;
        _time = time;
        _signer = new OneTimeCodeSigner(database.Encryption);
    }

    public Task<IssuedCode> IssueAsync(string username, string ip, string intent, int characters, TimeSpan lifespan, CancellationToken cancellationToken)
    {
        var user = Usernames.Key(username);
        var now = _time.GetUtcNow();
        return _database.RunAsync(async scope =>
        {
            await scope.ExecuteAsync(
                "DELETE FROM one_time_code WHERE expires < @before;",
                [("@before", (now - OneTimeCodes.Retention).ToUnixTimeMilliseconds())],
                cancellationToken);
            // A repeat of an unexpired code for the same user and IP would collide on (signature, username); draw again.
            for (var attempt = 0; ; attempt++)
            {
                var code = RandomString.Generate(characters, OneTimeCodes.Charset);
                var issued = new IssuedCode(Guid.NewGuid(), code, now + lifespan);
                var inserted = await scope.ExecuteAsync(
                    """
                    INSERT INTO one_time_code (public_id, signature, issued, issued_ip, expires, username, intent, code)
                    VALUES (@public_id, @signature, @issued, @ip, @expires, @username, @intent, @code)
                    ON CONFLICT (signature, username) DO NOTHING;
                    """,
                    [
                        ("@public_id", issued.PublicId.ToString("D")),
                        ("@signature", _signer.Sign(user, ip, intent, code)),
                        ("@issued", now.ToUnixTimeMilliseconds()),
                        ("@ip", ip),
                        ("@expires", issued.Expires.ToUnixTimeMilliseconds()),
                        ("@username", user),
                        ("@intent", intent),
                        ("@code", _database.Encryption.Encrypt(Encoding.UTF8.GetBytes(code))),
                    ],
                    cancellationToken);
                if (inserted == 1)
                {
                    return issued;
                }
                // The same code is already live for this user and IP; try another, a few times.
                if (attempt >= 3)
                {
                    throw new StorageConflictException("storage: no unused one-time code could be drawn after 4 attempts");
                }
            }
        }, cancellationToken);
    }

    /// <remarks>
    /// Consuming is one conditional UPDATE: of concurrent submissions on any node, the first takes the row lock
    /// (SQLite: the file's) and sets <c>consumed</c>; the others wait, re-check the condition on the updated row and
    /// change nothing.
    /// </remarks>
    public Task<(CodeOutcome Outcome, Guid PublicId)> ConsumeAsync(string username, string ip, string intent, string code, CancellationToken cancellationToken)
    {
        var user = Usernames.Key(username);
        var now = _time.GetUtcNow();
        return _database.RunAsync<(CodeOutcome, Guid)>(async scope =>
        {
            var rows = await scope.QueryAsync(
                """
                SELECT id, public_id, expires, consumed, revoked, intent, code FROM one_time_code
                WHERE signature = @signature AND username = @username;
                """,
                [("@signature", _signer.Sign(user, ip, intent, code)), ("@username", user)],
                reader => new StoredCode(
                    reader.GetInt64(0),
                    Guid.Parse(reader.GetString(1)),
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
                    Consumed: !reader.IsDBNull(3),
                    Revoked: !reader.IsDBNull(4),
                    reader.GetString(5),
                    (byte[])reader.GetValue(6)),
                cancellationToken);
            if (rows.Count == 0)
            {
                return (CodeOutcome.NotFound, Guid.Empty);
            }
            var row = rows[0];
            if (row.Revoked)
            {
                return (CodeOutcome.Revoked, row.PublicId);
            }
            if (row.Consumed)
            {
                return (CodeOutcome.Consumed, row.PublicId);
            }
            if (now >= row.Expires)
            {
                return (CodeOutcome.Expired, row.PublicId);
            }
            byte[] stored;
            try
            {
                stored = _database.Encryption.Decrypt(row.Code);
            }
            catch (CryptographicException)
            {
                return (CodeOutcome.NotFound, row.PublicId);
            }
            // The signature already matched; this comparison is the second, key-independent check Authelia makes.
            if (!string.Equals(row.Intent, intent, StringComparison.Ordinal) ||
                !CryptographicOperations.FixedTimeEquals(stored, Encoding.UTF8.GetBytes(code)))
            {
                return (CodeOutcome.NotFound, row.PublicId);
            }
            var consumed = await scope.ExecuteAsync(
                """
                UPDATE one_time_code SET consumed = @now, consumed_ip = @ip
                WHERE id = @id AND consumed IS NULL AND revoked IS NULL AND expires > @now;
                """,
                [("@now", now.ToUnixTimeMilliseconds()), ("@ip", ip), ("@id", row.Id)],
                cancellationToken);
            return (consumed == 1 ? CodeOutcome.Verified : CodeOutcome.Consumed, row.PublicId);
        }, cancellationToken);
    }

    public Task<RevokeOutcome> RevokeAsync(Guid publicId, string ip, CancellationToken cancellationToken) =>
        _database.RunAsync(async scope =>
        {
            var revoked = await scope.ExecuteAsync(
                """
                UPDATE one_time_code SET revoked = @now, revoked_ip = @ip
                WHERE public_id = @public_id AND consumed IS NULL AND revoked IS NULL;
                """,
                [("@now", _time.GetUtcNow().ToUnixTimeMilliseconds()), ("@ip", ip), ("@public_id", publicId.ToString("D"))],
                cancellationToken);
            if (revoked == 1)
            {
                return RevokeOutcome.Revoked;
            }
            var exists = await scope.ScalarAsync(
                "SELECT COUNT(*) FROM one_time_code WHERE public_id = @public_id;",
                [("@public_id", publicId.ToString("D"))],
                cancellationToken);
            return Convert.ToInt64(exists, CultureInfo.InvariantCulture) > 0 ? RevokeOutcome.AlreadyUsed : RevokeOutcome.NotFound;
        }, cancellationToken);

    /// <summary>
    /// The codes, and their signatures with them: a signature is an HMAC under a key derived from the encryption key,
    /// so a code issued before the change is still found after it.
    /// </summary>
    public async Task<IReadOnlyList<EncryptedValues>> ReEncryptAsync(StorageScope scope, StorageEncryption? next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var rows = await scope.QueryAsync(
            "SELECT id, username, issued_ip, intent, code FROM one_time_code ORDER BY id;",
            [],
            reader => (Id: reader.GetInt64(0), Username: reader.GetString(1), Ip: reader.GetString(2), Intent: reader.GetString(3), Code: (byte[])reader.GetValue(4)),
            cancellationToken);
        var signer = next is null ? null : new OneTimeCodeSigner(next);
        var unreadable = 0;
        foreach (var row in rows)
        {
            var code = _database.Encryption.TryDecrypt(row.Code);
            if (code is null)
            {
                unreadable++;
                continue;
            }
            if (next is not null && signer is not null)
            {
                await scope.ExecuteAsync(
                    "UPDATE one_time_code SET code = @code, signature = @signature WHERE id = @id;",
                    [("@code", next.Encrypt(code)), ("@signature", signer.Sign(row.Username, row.Ip, row.Intent, Encoding.UTF8.GetString(code))), ("@id", row.Id)],
                    cancellationToken);
            }
        }
        return [new EncryptedValues("one_time_code.code", rows.Count, unreadable)];
    }

    /// <summary>One <c>one_time_code</c> row as <see cref="ConsumeAsync"/> judges it.</summary>
    private sealed record StoredCode(long Id, Guid PublicId, DateTimeOffset Expires, bool Consumed, bool Revoked, string Intent, byte[] Code);
}
