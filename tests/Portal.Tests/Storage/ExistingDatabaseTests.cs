using System.Net;
using Portal.Elevation;
using Portal.Regulation;
using Portal.Storage.Sqlite;
using Portal.Storage.Stores;
using Portal.Tests.Support;
using Portal.WebAuthn;

namespace Portal.Tests.Storage;

/// <summary>
/// A database written by an earlier build still opens, at the version it recorded, and its rows read back through
/// today's stores. <c>TestData/storage/schema-v4.sqlite3</c> was created (with <see cref="TestKeys.Key"/> and
/// <see cref="ManualTimeProvider"/>'s start time) by the build before the migrations moved to
/// <c>Storage/Migrations/Sqlite</c>; it holds one row of each store's data. Never regenerate it with the current
/// code: its point is that it was not written by it.
/// </summary>
public sealed class ExistingDatabaseTests : IDisposable
{
    private const int FixtureVersion = 4;
    private const string UserHandle = "3qFBZX8iWhIIOxHmafPeIR35hhmtf0QDu7kdRWTZtxwrF34okoKpXArN5tGsxToK";
    private const string OneTimeCode = "XBLWNY98";
    private static readonly Guid OneTimeCodeId = Guid.Parse("216f3c53-1435-4cec-970d-a6edf5a5443d");

    private static readonly (long Version, string Name)[] FixtureMigrations =
        [(1, "Initial"), (2, "OneTimeCodes"), (3, "UsedCeremonies"), (4, "PasskeyEnrollment")];

    private readonly TempDirectory _dir = new();
    private readonly ManualTimeProvider _time = new();
    private readonly SqliteDatabase _db;

    public ExistingDatabaseTests()
    {
        // Opened from a copy: opening writes (WAL, the key check) and the fixture must stay as it was committed.
        var path = _dir.File("portal.sqlite3");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "TestData", "storage", "schema-v4.sqlite3"), path);
        _db = SqliteDatabase.Open(path, TestKeys.Key, _time);
    }

    public void Dispose()
    {
        _db.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void It_opens_at_the_version_it_recorded_and_no_recorded_migration_runs_again()
    {
        // The same version today; a later build would apply its new migrations on top, but never the recorded ones.
        Assert.InRange(SqliteDatabase.LatestSchemaVersion, FixtureVersion, int.MaxValue);
        Assert.Equal(SqliteDatabase.LatestSchemaVersion, _db.SchemaVersion());

        using var connection = _db.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT version, name, applied_at FROM migrations WHERE version <= $version ORDER BY version;";
        command.Parameters.AddWithValue("$version", FixtureVersion);
        using var reader = command.ExecuteReader();
        var recorded = new List<(long Version, string Name)>();
        while (reader.Read())
        {
            recorded.Add((reader.GetInt64(0), reader.GetString(1)));
            // Stamped when the fixture was made, not now: nothing was applied again.
            Assert.Equal(_time.GetUtcNow().ToUnixTimeMilliseconds(), reader.GetInt64(2));
        }
        Assert.Equal(FixtureMigrations, recorded);
    }

    [Fact]
    public async Task Its_rows_read_back_through_todays_stores()
    {
        var credentials = new WebAuthnCredentialStore(_db);
        Assert.Equal(UserHandle, await credentials.FindUserHandleAsync("auth.example.com", "john"));
        var credential = await credentials.FindByKidAsync([1, 2, 3, 4]);
        Assert.NotNull(credential);
        Assert.Equal(("john", "YubiKey", 7u), (credential.Username, credential.Description, credential.SignCount));
        Assert.Equal("COSE-KEY"u8.ToArray(), credential.PublicKey);
        Assert.Equal("ATTESTATION"u8.ToArray(), credential.Attestation);
        Assert.Equal(["usb", "nfc"], credential.Transports);
        // V0005's columns, added after the fixture was written: what an unverified attestation gives.
        Assert.Empty(credential.AttestationChain);
        Assert.Equal(("", false), (credential.Authenticator, credential.AttestationTrusted));
        Assert.True(await credentials.HasAnyForUserAsync("john"));

        Assert.False(await new UsedCeremonyStore(_db).TryConsumeAsync("used-ceremony-state", _time.GetUtcNow(), TimeSpan.FromDays(1)));
        Assert.Equal(_time.GetUtcNow().AddDays(30), await new PasskeyOfferStore(_db).SnoozedUntilAsync("john"));

        var log = new AuthenticationLogStore(_db);
        var attempt = Assert.Single(await log.ReadRecentAttemptsAsync(
            RegulationSubject.User, "john", _time.GetUtcNow().AddMinutes(-1), AuthenticationTypes.Regulated, failuresOnly: true, limit: 10));
        Assert.Equal(("192.0.2.1", "https://auth.example.com/"), (attempt.RemoteIp, attempt.RequestUri));
        var ban = await log.FindActiveBanAsync(RegulationSubject.Ip, "192.0.2.1", _time.GetUtcNow());
        Assert.NotNull(ban);
        Assert.Null(ban.Expires);

        // The code's signature and ciphertext were made with the same key: the code still verifies, once.
        var codes = new OneTimeCodeStore(_db, _time);
        Assert.Equal((CodeOutcome.Verified, OneTimeCodeId), await codes.ConsumeAsync("john", "192.0.2.1", OneTimeCodes.ElevationIntent, OneTimeCode, CancellationToken.None));
        Assert.Equal(RevokeOutcome.AlreadyUsed, await codes.RevokeAsync(OneTimeCodeId, "192.0.2.1", CancellationToken.None));
    }
}
