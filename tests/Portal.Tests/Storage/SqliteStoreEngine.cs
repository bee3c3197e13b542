using Microsoft.Data.Sqlite;
using Portal.Elevation;
using Portal.RecoveryCodes;
using Portal.Regulation;
using Portal.Storage;
using Portal.Storage.Sqlite;
using Portal.Storage.Stores;
using Portal.Tests.Support;
using Portal.Totp;
using Portal.WebAuthn;

namespace Portal.Tests.Storage;

/// <summary>The SQLite engine on a database file in a fresh temp directory, deleted on dispose.</summary>
internal sealed class SqliteStoreEngine : StoreEngine
{
    private readonly TempDirectory? _directory;
    private readonly SqliteDatabase _database;

    public SqliteStoreEngine()
        : this(new TempDirectory(), new ManualTimeProvider(), owner: true)
    {
    }

    private SqliteStoreEngine(TempDirectory directory, ManualTimeProvider time, bool owner)
    {
        _directory = owner ? directory : null;
        Directory = directory;
        Time = time;
        _database = SqliteDatabase.Open(directory.File("db.sqlite3"), TestKeys.Key, time);
    }

    public TempDirectory Directory { get; }

    public override StorageEncryption Encryption => _database.Encryption;

    public override IAuthenticationLogStore AuthenticationLog() => new AuthenticationLogStore(_database);

    public override IWebAuthnCredentialStore Credentials() => new WebAuthnCredentialStore(_database);

    public override IUsedCeremonyStore UsedCeremonies() => new UsedCeremonyStore(_database);

    public override IPasskeyOfferStore PasskeyOffers() => new PasskeyOfferStore(_database);

    public override IOneTimeCodeStore OneTimeCodes() => new OneTimeCodeStore(_database, Time);

    public override ITotpConfigurationStore TotpConfigurations() => new TotpConfigurationStore(_database);

    public override IRecoveryCodeStore RecoveryCodes() => new RecoveryCodeStore(_database);

    public override StoreEngine SecondNode() => new SqliteStoreEngine(Directory, Time, owner: false);

    public override object? RawValue(string table, string column)
    {
        using var connection = new SqliteConnection($"Data Source={_database.Path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {column} FROM {table} LIMIT 1";
        return command.ExecuteScalar();
    }

    public override void Dispose()
    {
        _database.Dispose();
        _directory?.Dispose();
    }
}
