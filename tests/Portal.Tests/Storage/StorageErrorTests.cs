using System.Net;
using Microsoft.Data.Sqlite;
using Portal.Regulation;
using Portal.Storage;
using Portal.Storage.Sqlite;
using Portal.Storage.Stores;
using Portal.Tests.Support;
using Portal.WebAuthn;
using static Portal.Tests.Support.SmtpPortal;

namespace Portal.Tests.Storage;

/// <summary>
/// SQLite's errors stop at the seam: a store call on a database that cannot serve throws a <see cref="StorageException"/>
/// (with SQLite's exception inside, for the log), never a <see cref="SqliteException"/>.
/// </summary>
public sealed class StorageErrorTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ManualTimeProvider _time = new();
    private readonly SqliteDatabase _db;

    public StorageErrorTests()
    {
        _db = SqliteDatabase.Open(DbPath, TestKeys.Key, _time);
    }

    private string DbPath => _dir.File("portal.sqlite3");

    public void Dispose()
    {
        _db.Dispose();
        _dir.Dispose();
    }

    public static TheoryData<string> StoreCalls => new()
    {
        "authentication log", "bans", "credentials", "credential add", "used ceremonies", "passkey offers",
        "one-time code issue", "one-time code consume", "one-time code revoke", "schema version",
    };

    [Theory]
    [MemberData(nameof(StoreCalls))]
    public async Task Every_store_on_an_unreadable_database_throws_StorageUnavailableException(string call)
    {
        MakeUnreadable();

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => Call(call));

        Assert.StartsWith("storage: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(DbPath, error.Message, StringComparison.Ordinal);
        Assert.IsType<SqliteException>(error.InnerException);
    }

    [Fact]
    [Trait("Category", "Integration")] // waits out SQLite's 30 s busy timeout
    public async Task A_write_to_a_database_locked_past_the_timeout_throws_StorageUnavailableException()
    {
        // Slow by nature: Microsoft.Data.Sqlite retries a busy statement until its 30 s command timeout.
        await using var locker = Locker(DbPath);

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => Call("authentication log"));

        Assert.Equal(5, Assert.IsType<SqliteException>(error.InnerException).SqliteErrorCode); // SQLITE_BUSY
    }

    [Fact]
    public void A_constraint_the_store_does_not_answer_is_a_conflict_and_anything_else_unavailable()
    {
        var conflict = SqliteDialect.Instance.ToStorageException(new SqliteException("UNIQUE constraint failed: t.c", 19), $"'{DbPath}'");
        var busy = SqliteDialect.Instance.ToStorageException(new SqliteException("database is locked", 5), $"'{DbPath}'");
        var io = SqliteDialect.Instance.ToStorageException(new SqliteException("disk I/O error", 10), $"'{DbPath}'");

        Assert.IsType<StorageConflictException>(conflict);
        Assert.IsType<StorageUnavailableException>(busy);
        Assert.IsType<StorageUnavailableException>(io);
        Assert.All(new[] { conflict, busy, io }, e => Assert.StartsWith("storage: ", e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Elevation_answers_503_when_a_store_call_fails()
    {
        await using var portal = await SmtpPortal.StartAsync();
        var cookie = await portal.Host.LoginAsync("john");
        // A damaged schema fails at once (a lock would only fail after the command timeout) and through the same path.
        await using (var db = new SqliteConnection($"Data Source={Path.Combine(portal.Host.DirectoryPath, "db.sqlite3")};Pooling=False"))
        {
            db.Open();
            using var drop = db.CreateCommand();
            drop.CommandText = "DROP TABLE one_time_code;";
            drop.ExecuteNonQuery();
        }

        using var start = await RequestCodeAsync(portal.Host, cookie);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, start.StatusCode);
        Assert.Contains("The storage is unavailable", await start.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_in_and_security_key_listing_answer_503_not_500_when_their_store_fails()
    {
        await using var portal = await SmtpPortal.StartAsync();
        var cookie = await portal.Host.LoginAsync("john");
        await using (var db = new SqliteConnection($"Data Source={Path.Combine(portal.Host.DirectoryPath, "db.sqlite3")};Pooling=False"))
        {
            db.Open();
            using var drop = db.CreateCommand();
            drop.CommandText = "DROP TABLE authentication_logs; DROP TABLE webauthn_credentials;";
            drop.ExecuteNonQuery();
        }

        using var signIn = await portal.Host.FirstFactorAsync("john", PortalTestHost.Password);
        using var keys = await portal.Host.Client.SendAsync(Request(HttpMethod.Get, "/api/secondfactor/webauthn/credentials", cookie));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, signIn.StatusCode);
        Assert.Null(PortalTestHost.SessionCookie(signIn));
        Assert.Contains("The storage is unavailable", await signIn.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, keys.StatusCode);
    }

    private Task Call(string call)
    {
        var ct = CancellationToken.None;
        return call switch
        {
            "authentication log" => new AuthenticationLogStore(_db).AppendAsync(_time.GetUtcNow(),
                new AuthenticationAttempt(false, false, "john", AuthenticationTypes.OneFactor, IPAddress.Loopback, "https://a/", "POST"), ct),
            "bans" => new AuthenticationLogStore(_db).FindActiveBanAsync(RegulationSubject.User, "john", _time.GetUtcNow(), ct),
            "credentials" => new WebAuthnCredentialStore(_db).ListAsync("auth.example.com", "john", ct),
            "credential add" => new WebAuthnCredentialStore(_db).AddAsync(new WebAuthnCredential
            {
                RpId = "auth.example.com", Username = "john", Description = "Key", Kid = [1], PublicKey = [2],
            }, ct),
            "used ceremonies" => new UsedCeremonyStore(_db).TryConsumeAsync("state", _time.GetUtcNow(), TimeSpan.FromDays(1), ct),
            "passkey offers" => new PasskeyOfferStore(_db).SnoozedUntilAsync("john", ct),
            "one-time code issue" => new OneTimeCodeStore(_db, _time).IssueAsync("john", "192.0.2.1", "use", 8, TimeSpan.FromMinutes(5), ct),
            "one-time code consume" => new OneTimeCodeStore(_db, _time).ConsumeAsync("john", "192.0.2.1", "use", "ABCDEFGH", ct),
            "one-time code revoke" => new OneTimeCodeStore(_db, _time).RevokeAsync(Guid.NewGuid(), "192.0.2.1", ct),
            "schema version" => Task.Run(() => _db.SchemaVersion()),
            _ => throw new ArgumentOutOfRangeException(nameof(call), call, null),
        };
    }

    /// <summary>Closes every pooled connection, then overwrites the file's header: SQLite no longer sees a database.</summary>
    private void MakeUnreadable()
    {
        SqliteConnection.ClearAllPools();
        using var file = new FileStream(DbPath, FileMode.Open, FileAccess.Write);
        file.Write(new byte[4096].Select(_ => (byte)'x').ToArray());
    }

    /// <summary>Another connection holding the write lock until disposed.</summary>
    private static SqliteConnection Locker(string path)
    {
        var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "BEGIN EXCLUSIVE;";
        command.ExecuteNonQuery();
        return connection;
    }
}
