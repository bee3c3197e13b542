using Portal.Storage;
using Portal.Users;

namespace Portal.WebAuthn;

internal sealed class SqlitePasskeyOfferStore(SqliteDatabase database) : IPasskeyOfferStore
{
    public async Task<DateTimeOffset?> SnoozedUntilAsync(string username, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT until FROM passkey_enrollment_snooze WHERE username = $username;";
        command.Parameters.AddWithValue("$username", Usernames.Key(username));
        return await command.ExecuteScalarAsync(cancellationToken) is long until
            ? DateTimeOffset.FromUnixTimeMilliseconds(until)
            : null;
    }

    public async Task SnoozeAsync(string username, DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO passkey_enrollment_snooze (username, until) VALUES ($username, $until)
            ON CONFLICT (username) DO UPDATE SET until = excluded.until;
            """;
        command.Parameters.AddWithValue("$username", Usernames.Key(username));
        command.Parameters.AddWithValue("$until", until.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
