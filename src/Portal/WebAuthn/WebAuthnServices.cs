using Portal.Users;
using Portal.Configuration;
using Portal.Storage;

namespace Portal.WebAuthn;

internal static class WebAuthnServices
{
    /// <summary>Credentials in SQLite, ceremonies over Identity's passkey handler, and credential events (logged by default).</summary>
    public static IServiceCollection AddWebAuthn(this IServiceCollection services, PortalOptions options)
    {
        services.AddSingleton<IWebAuthnCredentialStore>(sp => new SqliteWebAuthnCredentialStore(sp.GetRequiredService<SqliteDatabase>()));
        services.AddSingleton<IWebAuthnCeremonies>(sp => new WebAuthnCeremonies(options.WebAuthn, sp.GetRequiredService<IWebAuthnCredentialStore>(),
            sp.GetRequiredService<IUserProvider>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<WebAuthnCeremonies>>()));
        services.AddSingleton<IPasskeyOfferStore>(sp => new SqlitePasskeyOfferStore(sp.GetRequiredService<SqliteDatabase>()));
        services.AddSingleton<WebAuthnEndpointServices>();
        return services;
    }
}
