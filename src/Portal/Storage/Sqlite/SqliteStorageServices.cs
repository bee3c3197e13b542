using Portal.Elevation;
using Portal.RecoveryCodes;
using Portal.Regulation;
using Portal.WebAuthn;

namespace Portal.Storage.Sqlite;

internal static class SqliteStorageServices
{
    /// <summary>
    /// Every store interface over the <see cref="SqliteDatabase"/> singleton (registered, and opened at startup, by
    /// the app). A second engine registers the same interfaces over its own database instead.
    /// </summary>
    public static IServiceCollection AddSqliteStores(this IServiceCollection services)
    {
        services.AddSingleton<IAuthenticationLogStore>(sp => new SqliteAuthenticationLogStore(sp.GetRequiredService<SqliteDatabase>()));
        services.AddSingleton<IWebAuthnCredentialStore>(sp => new SqliteWebAuthnCredentialStore(sp.GetRequiredService<SqliteDatabase>()));
        services.AddSingleton<IUsedCeremonyStore>(sp => new SqliteUsedCeremonyStore(sp.GetRequiredService<SqliteDatabase>()));
        services.AddSingleton<IPasskeyOfferStore>(sp => new SqlitePasskeyOfferStore(sp.GetRequiredService<SqliteDatabase>()));
        services.AddSingleton<IOneTimeCodeStore>(sp => new SqliteOneTimeCodeStore(sp.GetRequiredService<SqliteDatabase>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IRecoveryCodeStore>(sp => new RecoveryCodeStore(new SqliteRunner(sp.GetRequiredService<SqliteDatabase>())));
        return services;
    }
}
