using Portal.Users;
using Portal.WebAuthn;

namespace Portal.Storage.Stores;

/// <summary><see cref="IPasskeyOfferStore"/> over <c>passkey_enrollment_snooze</c> (V0004).</summary>
internal sealed class PasskeyOfferStore(StorageDatabase database) : IPasskeyOfferStore
{
    public async Task<DateTimeOffset?> SnoozedUntilAsync(string username, CancellationToken cancellationToken = default) =>
        await database.ScalarAsync(
            "SELECT until FROM passkey_enrollment_snooze WHERE username = @username;",
            [("@username", Usernames.Key(username))],
            cancellationToken) is long until
            ? DateTimeOffset.FromUnixTimeMilliseconds(until)
            : null;

    public Task SnoozeAsync(string username, DateTimeOffset until, CancellationToken cancellationToken = default) =>
        database.ExecuteAsync(
            """
            INSERT INTO passkey_enrollment_snooze (username, until) VALUES (@username, @until)
            ON CONFLICT (username) DO UPDATE SET until = excluded.until;
            """,
            [("@username", Usernames.Key(username)), ("@until", until.ToUnixTimeMilliseconds())],
            cancellationToken);
}
