using System.Data.Common;
using System.Globalization;
using System.Text;
using Portal.Regulation;
using Portal.Users;

namespace Portal.Storage.Stores;

/// <summary><see cref="IAuthenticationLogStore"/> over the <c>authentication_logs</c>, <c>banned_*</c> tables.</summary>
internal sealed class AuthenticationLogStore(StorageDatabase database) : IAuthenticationLogStore
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

        // Only fixed column names and numbered parameter names are spliced in; every value is a parameter (one per
        // auth type: an IN list reads the same on every engine).
        var parameters = new List<(string Name, object? Value)>();
        var sql = new StringBuilder("""
            SELECT id, time, successful, banned, username, auth_type, remote_ip, request_uri, request_method
            FROM authentication_logs
            WHERE
            """);
        sql.Append(subject == RegulationSubject.User ? " username = @value" : " remote_ip = @value");
        sql.Append(" AND time > @since AND banned = FALSE");
        if (failuresOnly)
        {
            sql.Append(" AND successful = FALSE");
        }
        sql.Append(" AND auth_type IN (");
        var i = 0;
        foreach (var type in authTypes)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"@type{i}");
            sql.Append(i++ == 0 ? name : ", " + name);
            parameters.Add((name, type));
        }
        // id breaks ties between attempts in the same millisecond: it follows insertion order.
        sql.Append(") ORDER BY time DESC, id DESC LIMIT @limit;");
        parameters.Add(("@value", RegulationKeys.For(subject, value)));
        parameters.Add(("@since", since.ToUnixTimeMilliseconds()));
        parameters.Add(("@limit", limit));

        return await database.QueryAsync(
            sql.ToString(),
            [.. parameters],
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
                ? "INSERT INTO banned_user (time, expires, username, source, reason) VALUES (@time, CAST(@expires AS BIGINT), @value, @source, CAST(@reason AS TEXT)) RETURNING id;"
                : "INSERT INTO banned_ip (time, expires, ip, source, reason) VALUES (@time, CAST(@expires AS BIGINT), @value, @source, CAST(@reason AS TEXT)) RETURNING id;",
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
                  WHERE username = @value AND revoked = FALSE AND (expires IS NULL OR expires > @now)
                  ORDER BY expires IS NULL DESC, expires DESC LIMIT 1;
                  """
                : """
                  SELECT id, time, expires, revoked, revoked_at, ip, source, reason FROM banned_ip
                  WHERE ip = @value AND revoked = FALSE AND (expires IS NULL OR expires > @now)
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
                  WHERE @all = TRUE OR (revoked = FALSE AND (expires IS NULL OR expires > @now))
                  ORDER BY time DESC, id DESC;
                  """
                : """
                  SELECT id, time, expires, revoked, revoked_at, ip, source, reason FROM banned_ip
                  WHERE @all = TRUE OR (revoked = FALSE AND (expires IS NULL OR expires > @now))
                  ORDER BY time DESC, id DESC;
                  """,
            [("@all", includeInactive), ("@now", now.ToUnixTimeMilliseconds())],
            reader => ReadBan(reader, subject),
            cancellationToken);

    public async Task<bool> RevokeBanAsync(
        RegulationSubject subject, long id, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        await database.ExecuteAsync(
            subject == RegulationSubject.User
                ? "UPDATE banned_user SET revoked = TRUE, revoked_at = @now WHERE id = @id AND revoked = FALSE;"
                : "UPDATE banned_ip SET revoked = TRUE, revoked_at = @now WHERE id = @id AND revoked = FALSE;",
            [("@id", id), ("@now", now.ToUnixTimeMilliseconds())],
            cancellationToken) > 0;

    public Task<int> RevokeBansAsync(
        RegulationSubject subject, string value, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        database.ExecuteAsync(
            subject == RegulationSubject.User
                ? "UPDATE banned_user SET revoked = TRUE, revoked_at = @now WHERE username = @value AND revoked = FALSE;"
                : "UPDATE banned_ip SET revoked = TRUE, revoked_at = @now WHERE ip = @value AND revoked = FALSE;",
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
