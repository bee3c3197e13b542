using System.Data.Common;
using System.Globalization;
using Portal.Regulation;
using Portal.Users;

namespace Portal.Storage.Postgres;

/// <summary><see cref="IAuthenticationLogStore"/> over the <c>authentication_logs</c>, <c>banned_*</c> tables.</summary>
internal sealed class PostgresAuthenticationLogStore(PostgresDatabase database) : IAuthenticationLogStore
{
    public async Task<long> AppendAsync(
        DateTimeOffset time, AuthenticationAttempt attempt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        return Convert.ToInt64(await database.ScalarAsync(
            """
            INSERT INTO authentication_logs
                (time, successful, banned, username, auth_type, remote_ip, request_uri, request_method)
            VALUES (@time, @successful, @banned, @username, @authType, @remoteIp, @requestUri, @requestMethod)
            RETURNING id;
            """,
            [
                ("@time", time.ToUnixTimeMilliseconds()),
                ("@successful", attempt.Successful),
                ("@banned", attempt.Banned),
                ("@username", Usernames.Key(attempt.Username)),
                ("@authType", attempt.AuthType),
                ("@remoteIp", RegulationKeys.Ip(attempt.RemoteIp)),
                ("@requestUri", attempt.RequestUri ?? ""),
                ("@requestMethod", attempt.RequestMethod ?? ""),
            ],
            cancellationToken), CultureInfo.InvariantCulture);
    }

    public async Task<IReadOnlyList<AuthenticationLogEntry>> ReadRecentAttemptsAsync(
        RegulationSubject subject,
        string value,
        DateTimeOffset since,
        IReadOnlySet<string> authTypes,
        bool failuresOnly,
        int limit,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(authTypes);
        if (limit <= 0 || authTypes.Count == 0)
        {
            return [];
        }
        // Only a fixed column name is chosen here; every value is a parameter (the auth types as one text[]).
        var column = subject == RegulationSubject.User ? "username" : "remote_ip";
        return await database.QueryAsync(
            $"""
            SELECT id, time, successful, banned, username, auth_type, remote_ip, request_uri, request_method
            FROM authentication_logs
            WHERE {column} = @value AND time > @since AND NOT banned AND (NOT @failuresOnly OR NOT successful)
              AND auth_type = ANY(@types)
            ORDER BY time DESC, id DESC LIMIT @limit;
            """,
            [
                ("@value", RegulationKeys.For(subject, value)),
                ("@since", since.ToUnixTimeMilliseconds()),
                ("@failuresOnly", failuresOnly),
                ("@types", authTypes.ToArray()),
                ("@limit", limit),
            ],
            reader => new AuthenticationLogEntry(
                reader.GetInt64(0),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
                reader.GetBoolean(2),
                reader.GetBoolean(3),
                reader.GetString(4),
                reader.GetString(5),
                reader.GetString(6),
                reader.GetString(7),
                reader.GetString(8)),
            cancellationToken);
    }

    public async Task<long> AddBanAsync(
        RegulationSubject subject,
        string value,
        DateTimeOffset time,
        DateTimeOffset? expires,
        string source,
        string? reason,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        var key = RegulationKeys.For(subject, value);
        if (key.Length == 0)
        {
            throw new ArgumentException("a ban needs a username or IP", nameof(value));
        }
        return Convert.ToInt64(await database.ScalarAsync(
            subject == RegulationSubject.User
                ? "INSERT INTO banned_user (time, expires, username, source, reason) VALUES (@time, @expires::bigint, @value, @source, @reason::text) RETURNING id;"
                : "INSERT INTO banned_ip (time, expires, ip, source, reason) VALUES (@time, @expires::bigint, @value, @source, @reason::text) RETURNING id;",
            [
                ("@time", time.ToUnixTimeMilliseconds()),
                ("@expires", expires?.ToUnixTimeMilliseconds()),
                ("@value", key),
                ("@source", source),
                ("@reason", reason),
            ],
            cancellationToken), CultureInfo.InvariantCulture);
    }

    // A permanent ban (expires NULL) outranks any timed one; otherwise the latest expiry wins.
    public async Task<Ban?> FindActiveBanAsync(
        RegulationSubject subject, string value, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        (await database.QueryAsync(
            subject == RegulationSubject.User
                ? """
                  SELECT id, time, expires, revoked, revoked_at, username, source, reason FROM banned_user
                  WHERE username = @value AND NOT revoked AND (expires IS NULL OR expires > @now)
                  ORDER BY expires IS NULL DESC, expires DESC LIMIT 1;
                  """
                : """
                  SELECT id, time, expires, revoked, revoked_at, ip, source, reason FROM banned_ip
                  WHERE ip = @value AND NOT revoked AND (expires IS NULL OR expires > @now)
                  ORDER BY expires IS NULL DESC, expires DESC LIMIT 1;
                  """,
            [("@value", RegulationKeys.For(subject, value)), ("@now", now.ToUnixTimeMilliseconds())],
            reader => ReadBan(reader, subject),
            cancellationToken)).FirstOrDefault();

    public async Task<IReadOnlyList<Ban>> ListBansAsync(
        RegulationSubject subject, DateTimeOffset now, bool includeInactive, CancellationToken cancellationToken = default) =>
        await database.QueryAsync(
            subject == RegulationSubject.User
                ? """
                  SELECT id, time, expires, revoked, revoked_at, username, source, reason FROM banned_user
                  WHERE @all OR (NOT revoked AND (expires IS NULL OR expires > @now))
                  ORDER BY time DESC, id DESC;
                  """
                : """
                  SELECT id, time, expires, revoked, revoked_at, ip, source, reason FROM banned_ip
                  WHERE @all OR (NOT revoked AND (expires IS NULL OR expires > @now))
                  ORDER BY time DESC, id DESC;
                  """,
            [("@all", includeInactive), ("@now", now.ToUnixTimeMilliseconds())],
            reader => ReadBan(reader, subject),
            cancellationToken);

    public async Task<bool> RevokeBanAsync(
        RegulationSubject subject, long id, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        await database.ExecuteAsync(
            subject == RegulationSubject.User
                ? "UPDATE banned_user SET revoked = TRUE, revoked_at = @now WHERE id = @id AND NOT revoked;"
                : "UPDATE banned_ip SET revoked = TRUE, revoked_at = @now WHERE id = @id AND NOT revoked;",
            [("@id", id), ("@now", now.ToUnixTimeMilliseconds())],
            cancellationToken) > 0;

    public Task<int> RevokeBansAsync(
        RegulationSubject subject, string value, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        database.ExecuteAsync(
            subject == RegulationSubject.User
                ? "UPDATE banned_user SET revoked = TRUE, revoked_at = @now WHERE username = @value AND NOT revoked;"
                : "UPDATE banned_ip SET revoked = TRUE, revoked_at = @now WHERE ip = @value AND NOT revoked;",
            [("@value", RegulationKeys.For(subject, value)), ("@now", now.ToUnixTimeMilliseconds())],
            cancellationToken);

    private static Ban ReadBan(DbDataReader reader, RegulationSubject subject) => new(
        reader.GetInt64(0),
        subject,
        reader.GetString(5),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
        reader.IsDBNull(2) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
        reader.GetBoolean(3),
        reader.IsDBNull(4) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
        reader.GetString(6),
        reader.IsDBNull(7) ? null : reader.GetString(7));
}
