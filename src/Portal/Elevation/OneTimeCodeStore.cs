using System.Buffers.Binary;
using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Portal.Crypto;
using Portal.Storage;
using Portal.Users;

namespace Portal.Elevation;

/// <summary>
/// The <c>one_time_code</c> table. A code is found by its HMAC signature over (username, requesting IP, intent, code):
/// the code is never stored in a form that can be compared without the key, and the same code typed from another IP
/// or by another user finds nothing. The code itself is kept AES-GCM encrypted for the constant-time comparison.
/// </summary>
internal sealed class OneTimeCodeStore
{
    /// <summary>Upper-case letters and digits without the look-alikes (0/O, 1/I, 5/S, S, ...): Authelia's set.</summary>
    public const string Charset = "ABCDEFGHJKLMNPQRTUVWYXZ2346789";

    /// <summary>The intent of elevation codes, Authelia's <c>use</c>.</summary>
    public const string ElevationIntent = "use";

    /// <summary>How long expired codes are kept (for the record) before they are deleted.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(7);

    private readonly SqliteDatabase _database;
    private readonly TimeProvider _time;
    private readonly byte[] _signingKey;

    public OneTimeCodeStore(SqliteDatabase database, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(time);
        _database = database;
        _time = time;
        // Derived from storage.encryption_key: a stolen database alone cannot be used to test guesses offline.
        _signingKey = database.Encryption.DeriveKey("one-time code signature", 64);
    }

    public static string EncodePublicId(Guid id)
    {
        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes, bigEndian: true, out _);
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>Strict: exactly the 22 characters <see cref="EncodePublicId"/> produces, nothing else decodes.</summary>
    public static bool TryDecodePublicId(string? text, out Guid id)
    {
        id = Guid.Empty;
        Span<byte> bytes = stackalloc byte[16];
        if (text is null || text.Length != 22)
        {
            return false;
        }
        int written;
        try
        {
            // Throws rather than returning false for characters outside the alphabet and non-zero padding bits.
            if (!Base64Url.TryDecodeFromChars(text, bytes, out written))
            {
                return false;
            }
        }
        catch (FormatException)
        {
            return false;
        }
        if (written != 16)
        {
            return false;
        }
        var decoded = new Guid(bytes, bigEndian: true);
        // Base64 can carry stray bits in the last character; only the canonical spelling names the code.
        if (EncodePublicId(decoded) != text)
        {
            return false;
        }
        id = decoded;
        return true;
    }

    /// <summary>Creates and stores a code for <paramref name="username"/> requesting from <paramref name="ip"/>.</summary>
    public async Task<IssuedCode> IssueAsync(string username, string ip, string intent, int characters, TimeSpan lifespan, CancellationToken cancellationToken)
    {
        var user = Usernames.Key(username);
        var now = _time.GetUtcNow();
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await PruneAsync(connection, now, cancellationToken);
        // A repeat of an unexpired code for the same user and IP would collide on (signature, username); draw again.
        for (var attempt = 0; ; attempt++)
        {
            var code = RandomString.Generate(characters, Charset);
            var issued = new IssuedCode(Guid.NewGuid(), code, now + lifespan);
            await using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO one_time_code (public_id, signature, issued, issued_ip, expires, username, intent, code)
                VALUES ($public_id, $signature, $issued, $ip, $expires, $username, $intent, $code);
                """;
            insert.Parameters.AddWithValue("$public_id", issued.PublicId.ToString("D"));
            insert.Parameters.AddWithValue("$signature", Sign(user, ip, intent, code));
            insert.Parameters.AddWithValue("$issued", now.ToUnixTimeMilliseconds());
            insert.Parameters.AddWithValue("$ip", ip);
            insert.Parameters.AddWithValue("$expires", issued.Expires.ToUnixTimeMilliseconds());
            insert.Parameters.AddWithValue("$username", user);
            insert.Parameters.AddWithValue("$intent", intent);
            insert.Parameters.AddWithValue("$code", _database.Encryption.Encrypt(Encoding.UTF8.GetBytes(code)));
            try
            {
                await insert.ExecuteNonQueryAsync(cancellationToken);
                return issued;
            }
            catch (SqliteException e) when (e.SqliteErrorCode == 19 && attempt < 3)
            {
                // SQLITE_CONSTRAINT: the same code is already live for this user and IP; try another.
            }
        }
    }

    /// <summary>
    /// Checks <paramref name="code"/> for the user and IP and, if it is valid, consumes it. Consuming is one
    /// conditional UPDATE, so of two concurrent submissions of the same code exactly one gets <see cref="CodeOutcome.Verified"/>.
    /// </summary>
    public async Task<(CodeOutcome Outcome, Guid PublicId)> ConsumeAsync(string username, string ip, string intent, string code, CancellationToken cancellationToken)
    {
        var user = Usernames.Key(username);
        var now = _time.GetUtcNow();
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        long id;
        Guid publicId;
        await using (var select = connection.CreateCommand())
        {
            select.CommandText = """
                SELECT id, public_id, expires, consumed, revoked, intent, code FROM one_time_code
                WHERE signature = $signature AND username = $username;
                """;
            select.Parameters.AddWithValue("$signature", Sign(user, ip, intent, code));
            select.Parameters.AddWithValue("$username", user);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return (CodeOutcome.NotFound, Guid.Empty);
            }
            id = reader.GetInt64(0);
            publicId = Guid.Parse(reader.GetString(1));
            if (!reader.IsDBNull(4))
            {
                return (CodeOutcome.Revoked, publicId);
            }
            if (!reader.IsDBNull(3))
            {
                return (CodeOutcome.Consumed, publicId);
            }
            if (now >= DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)))
            {
                return (CodeOutcome.Expired, publicId);
            }
            byte[] stored;
            try
            {
                stored = _database.Encryption.Decrypt((byte[])reader.GetValue(6));
            }
            catch (CryptographicException)
            {
                return (CodeOutcome.NotFound, publicId);
            }
            // The signature already matched; this comparison is the second, key-independent check Authelia makes.
            if (!string.Equals(reader.GetString(5), intent, StringComparison.Ordinal) ||
                !CryptographicOperations.FixedTimeEquals(stored, Encoding.UTF8.GetBytes(code)))
            {
                return (CodeOutcome.NotFound, publicId);
            }
        }
        await using var consume = connection.CreateCommand();
        consume.CommandText = """
            UPDATE one_time_code SET consumed = $now, consumed_ip = $ip
            WHERE id = $id AND consumed IS NULL AND revoked IS NULL AND expires > $now;
            """;
        consume.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        consume.Parameters.AddWithValue("$ip", ip);
        consume.Parameters.AddWithValue("$id", id);
        return (await consume.ExecuteNonQueryAsync(cancellationToken) == 1 ? CodeOutcome.Verified : CodeOutcome.Consumed, publicId);
    }

    /// <summary>Revokes an unused code by its public id (the email's revoke link).</summary>
    public async Task<RevokeOutcome> RevokeAsync(Guid publicId, string ip, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var revoke = connection.CreateCommand();
        revoke.CommandText = """
            UPDATE one_time_code SET revoked = $now, revoked_ip = $ip
            WHERE public_id = $public_id AND consumed IS NULL AND revoked IS NULL;
            """;
        revoke.Parameters.AddWithValue("$now", _time.GetUtcNow().ToUnixTimeMilliseconds());
        revoke.Parameters.AddWithValue("$ip", ip);
        revoke.Parameters.AddWithValue("$public_id", publicId.ToString("D"));
        if (await revoke.ExecuteNonQueryAsync(cancellationToken) == 1)
        {
            return RevokeOutcome.Revoked;
        }
        await using var exists = connection.CreateCommand();
        exists.CommandText = "SELECT COUNT(*) FROM one_time_code WHERE public_id = $public_id;";
        exists.Parameters.AddWithValue("$public_id", publicId.ToString("D"));
        return Convert.ToInt64(await exists.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) > 0
            ? RevokeOutcome.AlreadyUsed
            : RevokeOutcome.NotFound;
    }

    /// <summary>
    /// HMAC-SHA512 over the length-prefixed fields, hex. Authelia concatenates them bare; the prefixes make
    /// ("ab", "1.2.3.4") and ("a", "b1.2.3.4") sign differently.
    /// </summary>
    internal string Sign(string canonicalUsername, string ip, string intent, string code)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA512, _signingKey);
        Span<byte> length = stackalloc byte[4];
        foreach (var field in (ReadOnlySpan<string>)[canonicalUsername, ip, intent, code])
        {
            var bytes = Encoding.UTF8.GetBytes(field);
            BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
            hmac.AppendData(length);
            hmac.AppendData(bytes);
        }
        return Convert.ToHexStringLower(hmac.GetHashAndReset());
    }

    private static async Task PruneAsync(SqliteConnection connection, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var prune = connection.CreateCommand();
        prune.CommandText = "DELETE FROM one_time_code WHERE expires < $before;";
        prune.Parameters.AddWithValue("$before", (now - Retention).ToUnixTimeMilliseconds());
        await prune.ExecuteNonQueryAsync(cancellationToken);
    }
}
