using System.Globalization;
using Portal.RecoveryCodes;
using Portal.Users;

namespace Portal.Storage.Stores;

/// <summary>
/// <see cref="IRecoveryCodeStore"/> over <c>recovery_codes</c> (V0007), written once for every engine: the same SQL
/// on both, except the lock PostgreSQL needs before a replace. Usernames are keyed by <see cref="Usernames.Key"/>.
/// </summary>
internal sealed class RecoveryCodeStore(StorageDatabase database) : IRecoveryCodeStore
{
    private readonly RecoveryCodeHasher _hasher = new(database.Encryption);

    public Task ReplaceAsync(string username, IReadOnlyList<string> codes, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(codes);
        var hashes = codes.Select(c => _hasher.Hash(username, c)).ToList();
        var user = Usernames.Key(username);
        return database.InTransactionAsync(async scope =>
        {
            // Two racing replaces must not each delete only the rows they saw and leave both sets (PostgreSQL's READ
            // COMMITTED); SQLite's IMMEDIATE transaction already runs them one after the other.
            await database.Dialect.LockAsync(scope, "portal recovery codes", user, cancellationToken);
            await scope.ExecuteAsync("DELETE FROM recovery_codes WHERE username = @username;", [("@username", user)], cancellationToken);
            foreach (var hash in hashes)
            {
                await scope.ExecuteAsync(
                    "INSERT INTO recovery_codes (username, code_hash, created_at, used_at) VALUES (@username, @hash, @now, NULL);",
                    [("@username", user), ("@hash", hash), ("@now", now.ToUnixTimeMilliseconds())],
                    cancellationToken);
            }
            return 0;
        }, cancellationToken);
    }

    public Task<bool> TryUseAsync(string username, string code, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var hash = _hasher.Hash(username, code);
        // One conditional UPDATE: of two requests racing with one code, on any connection, exactly one changes the row.
        return database.RunAsync(async scope => await scope.ExecuteAsync(
            "UPDATE recovery_codes SET used_at = @now WHERE username = @username AND code_hash = @hash AND used_at IS NULL;",
            [("@now", now.ToUnixTimeMilliseconds()), ("@username", Usernames.Key(username)), ("@hash", hash)],
            cancellationToken) == 1, cancellationToken);
    }

    public Task<int> CountUnusedAsync(string username, CancellationToken cancellationToken) =>
        database.RunAsync(async scope => Convert.ToInt32(await scope.ScalarAsync(
            "SELECT COUNT(*) FROM recovery_codes WHERE username = @username AND used_at IS NULL;",
            [("@username", Usernames.Key(username))],
            cancellationToken), CultureInfo.InvariantCulture), cancellationToken);
}
