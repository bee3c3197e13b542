using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Portal.WebAuthn;

namespace Portal.Storage.Sqlite;

/// <summary><see cref="IUsedCeremonyStore"/> over <c>webauthn_used_ceremonies</c> (V0003), keyed by the state's SHA-256.</summary>
internal sealed class SqliteUsedCeremonyStore(SqliteDatabase database) : IUsedCeremonyStore
{
    public Task<bool> TryConsumeAsync(string ceremonyState, DateTimeOffset now, TimeSpan keepFor, CancellationToken cancellationToken = default)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(ceremonyState));
        return database.RunAsync(async scope =>
        {
            await scope.ExecuteAsync(
                """
                DELETE FROM webauthn_used_ceremonies WHERE used_at < $expired;
                INSERT INTO webauthn_used_ceremonies (ceremony_hash, used_at) VALUES ($hash, $now) ON CONFLICT DO NOTHING;
                """,
                [("$expired", (now - keepFor).ToUnixTimeMilliseconds()), ("$hash", hash), ("$now", now.ToUnixTimeMilliseconds())],
                cancellationToken);
            // changes() counts the INSERT alone (the last statement), on this connection alone.
            return Convert.ToInt64(await scope.ScalarAsync("SELECT changes();", [], cancellationToken), CultureInfo.InvariantCulture) == 1;
        }, cancellationToken);
    }
}
