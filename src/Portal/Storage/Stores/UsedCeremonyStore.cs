using System.Security.Cryptography;
using System.Text;
using Portal.WebAuthn;

namespace Portal.Storage.Stores;

/// <summary><see cref="IUsedCeremonyStore"/> over <c>webauthn_used_ceremonies</c> (V0003), keyed by the state's SHA-256.</summary>
internal sealed class UsedCeremonyStore(StorageDatabase database) : IUsedCeremonyStore
{
    public Task<bool> TryConsumeAsync(string ceremonyState, DateTimeOffset now, TimeSpan keepFor, CancellationToken cancellationToken = default)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(ceremonyState));
        return database.RunAsync(async scope =>
        {
            await scope.ExecuteAsync(
                "DELETE FROM webauthn_used_ceremonies WHERE used_at < @expired;",
                [("@expired", (now - keepFor).ToUnixTimeMilliseconds())],
                cancellationToken);
            // The primary key decides: of racing inserts on any node, one adds the row, the others wait for it and
            // then insert nothing.
            return await scope.ExecuteAsync(
                "INSERT INTO webauthn_used_ceremonies (ceremony_hash, used_at) VALUES (@hash, @now) ON CONFLICT DO NOTHING;",
                [("@hash", hash), ("@now", now.ToUnixTimeMilliseconds())],
                cancellationToken) == 1;
        }, cancellationToken);
    }
}
