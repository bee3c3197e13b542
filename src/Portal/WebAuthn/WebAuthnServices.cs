using Portal.Users;
using Portal.Configuration;
using Portal.Elevation;

namespace Portal.WebAuthn;

internal static class WebAuthnServices
{
    /// <summary>
    /// Ceremonies over fido2-net-lib, the authenticator policy (FIDO metadata when enabled, filtering), and credential events (logged by default). The stores they use
    /// (<see cref="IWebAuthnCredentialStore"/>, <see cref="IUsedCeremonyStore"/>, <see cref="IPasskeyOfferStore"/>)
    /// are the storage engine's, registered with it.
    /// </summary>
    public static IServiceCollection AddWebAuthn(this IServiceCollection services, PortalOptions options)
    {
        if (options.WebAuthn.Metadata.Enabled)
        {
            services.AddSingleton<IFidoMetadata>(sp => new FidoMetadataSource(options.WebAuthn.Metadata, sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<FidoMetadataSource>>()));
        }
        services.AddSingleton(sp => new AuthenticatorPolicy(options.WebAuthn, sp.GetService<IFidoMetadata>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<AuthenticatorPolicy>>()));
        services.AddSingleton<IWebAuthnCeremonies>(sp => new Fido2Ceremonies(options.WebAuthn, sp.GetRequiredService<IWebAuthnCredentialStore>(),
            sp.GetRequiredService<IUserProvider>(), sp.GetRequiredService<AuthenticatorPolicy>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<Fido2Ceremonies>>()));
        services.AddSingleton<IUserSecondFactors, WebAuthnSecondFactors>();
        services.AddSingleton<PendingCeremonies>();
        return services;
    }
}
