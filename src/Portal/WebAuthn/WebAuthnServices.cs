using Portal.Users;
using Portal.Configuration;
using Portal.Elevation;

namespace Portal.WebAuthn;

internal static class WebAuthnServices
{
    /// <summary>
    /// Ceremonies over Identity's passkey handler, and credential events (logged by default). The stores they use
    /// (<see cref="IWebAuthnCredentialStore"/>, <see cref="IUsedCeremonyStore"/>, <see cref="IPasskeyOfferStore"/>)
    /// are the storage engine's, registered with it.
    /// </summary>
    public static IServiceCollection AddWebAuthn(this IServiceCollection services, PortalOptions options)
    {
        services.AddSingleton<IWebAuthnCeremonies>(sp => new WebAuthnCeremonies(options.WebAuthn, sp.GetRequiredService<IWebAuthnCredentialStore>(),
            sp.GetRequiredService<IUserProvider>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<WebAuthnCeremonies>>()));
        services.AddSingleton<IUserSecondFactors, WebAuthnSecondFactors>();
        services.AddSingleton<PendingCeremonies>();
        return services;
    }
}
