using Portal.Elevation;
using Portal.RecoveryCodes;
using Portal.Regulation;
using Portal.Storage.Stores;
using Portal.Totp;
using Portal.WebAuthn;

namespace Portal.Storage;

internal static class StorageServices
{
    /// <summary>
    /// Every store interface over the <see cref="StorageDatabase"/> singleton, whichever engine's it is (each
    /// engine's <c>Add&lt;Engine&gt;Stores</c> registers its database as that singleton, then calls this).
    /// </summary>
    public static IServiceCollection AddStores(this IServiceCollection services)
    {
        services.AddSingleton<IAuthenticationLogStore>(sp => new AuthenticationLogStore(sp.GetRequiredService<StorageDatabase>()));
        services.AddSingleton<IWebAuthnCredentialStore>(sp => new WebAuthnCredentialStore(sp.GetRequiredService<StorageDatabase>()));
        services.AddSingleton<IUsedCeremonyStore>(sp => new UsedCeremonyStore(sp.GetRequiredService<StorageDatabase>()));
        services.AddSingleton<IPasskeyOfferStore>(sp => new PasskeyOfferStore(sp.GetRequiredService<StorageDatabase>()));
        services.AddSingleton<IOneTimeCodeStore>(sp => new OneTimeCodeStore(sp.GetRequiredService<StorageDatabase>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ITotpConfigurationStore>(sp => new TotpConfigurationStore(sp.GetRequiredService<StorageDatabase>()));
        services.AddSingleton<IRecoveryCodeStore>(sp => new RecoveryCodeStore(sp.GetRequiredService<StorageDatabase>()));
        return services;
    }

    /// <summary>Every store with encrypted columns, over <paramref name="database"/>: what a key change re-encrypts.</summary>
    public static IReadOnlyList<IEncryptedColumns> EncryptedStores(StorageDatabase database, TimeProvider time) =>
        [new WebAuthnCredentialStore(database), new OneTimeCodeStore(database, time), new TotpConfigurationStore(database)];
}
