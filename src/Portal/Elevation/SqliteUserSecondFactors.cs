using Portal.Storage;
using Portal.Users;

namespace Portal.Elevation;

/// <summary>Reads the WebAuthn credentials table (the only second factor Portal has).</summary>
internal sealed class SqliteUserSecondFactors(SqliteDatabase database) : IUserSecondFactors
{
    public async Task<bool> HasAnyAsync(string username, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT EXISTS (SELECT 1 FROM webauthn_credentials WHERE username = $username);";
        command.Parameters.AddWithValue("$username", Usernames.Key(username));
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) == 1;
    }
}
