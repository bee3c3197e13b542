using Portal.Elevation;
using Portal.RecoveryCodes;
using Portal.Regulation;
using Portal.WebAuthn;

namespace Portal.Storage.Postgres;

internal static class PostgresStorageServices
{
    /// <summary>
    /// Every store interface over the <see cref="PostgresDatabase"/> singleton (registered, and opened at startup, by
    /// the app), in place of <see cref="Sqlite.SqliteStorageServices.AddSqliteStores"/>.
    /// </summary>
    public static IServiceCollection AddPostgresStores(this IServiceCollection services)
    {
        services.AddSingleton<IAuthenticationLogStore>(sp => new PostgresAuthenticationLogStore(sp.GetRequiredService<PostgresDatabase>()));
        services.AddSingleton<IWebAuthnCredentialStore>(sp => new PostgresWebAuthnCredentialStore(sp.GetRequiredService<PostgresDatabase>()));
        services.AddSingleton<IUsedCeremonyStore>(sp => new PostgresUsedCeremonyStore(sp.GetRequiredService<PostgresDatabase>()));
        services.AddSingleton<IPasskeyOfferStore>(sp => new PostgresPasskeyOfferStore(sp.GetRequiredService<PostgresDatabase>()));
        services.AddSingleton<IOneTimeCodeStore>(sp => new PostgresOneTimeCodeStore(sp.GetRequiredService<PostgresDatabase>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IRecoveryCodeStore>(sp => new RecoveryCodeStore(new PostgresRunner(sp.GetRequiredService<PostgresDatabase>())));
        return services;
    }
}
