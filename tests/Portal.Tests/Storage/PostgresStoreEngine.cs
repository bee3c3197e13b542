using Portal.Configuration;
using Portal.Elevation;
using Portal.RecoveryCodes;
using Portal.Regulation;
using Portal.Storage;
using Portal.Storage.Postgres;
using Portal.Storage.Stores;
using Portal.Tests.Support;
using Portal.Totp;
using Portal.WebAuthn;

namespace Portal.Tests.Storage;

/// <summary>The PostgreSQL engine on a real server, in a schema of its own (so each test starts empty).</summary>
internal sealed class PostgresStoreEngine : StoreEngine
{
    private readonly PostgresServerFixture _server;

    public PostgresStoreEngine(PostgresServerFixture server)
        : this(server, server.NewSchema(), new ManualTimeProvider())
    {
    }

    private PostgresStoreEngine(PostgresServerFixture server, PostgresStorageOptions options, ManualTimeProvider time)
    {
        _server = server;
        Options = options;
        Time = time;
        Database = PostgresDatabase.Open(options, TestKeys.Key, time);
    }

    public PostgresStorageOptions Options { get; }

    public PostgresDatabase Database { get; }

    public override StorageEncryption Encryption => Database.Encryption;

    public override IAuthenticationLogStore AuthenticationLog() => new AuthenticationLogStore(Database);

    public override IWebAuthnCredentialStore Credentials() => new WebAuthnCredentialStore(Database);

    public override IUsedCeremonyStore UsedCeremonies() => new UsedCeremonyStore(Database);

    public override IPasskeyOfferStore PasskeyOffers() => new PasskeyOfferStore(Database);

    public override IOneTimeCodeStore OneTimeCodes() => new OneTimeCodeStore(Database, Time);

    public override ITotpConfigurationStore TotpConfigurations() => new TotpConfigurationStore(Database);

    public override IRecoveryCodeStore RecoveryCodes() => new RecoveryCodeStore(Database);

    public override StoreEngine SecondNode() => new PostgresStoreEngine(_server, Options, Time);

    public override object? RawValue(string table, string column)
    {
        using var connection = _server.Connect(Options.Schema);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {column} FROM {table} LIMIT 1";
        return command.ExecuteScalar();
    }

    public override void Dispose() => Database.Dispose();
}
