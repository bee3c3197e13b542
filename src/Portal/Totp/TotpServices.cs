using Portal.Configuration;
using Portal.Elevation;
using Portal.Storage;

namespace Portal.Totp;

internal static class TotpServices
{
    /// <summary>
    /// The TOTP options, the configuration store (one implementation over whichever engine's <see cref="IStorageDatabase"/>
    /// the app registered) and, unless <c>totp.disable</c>, TOTP as a second factor elevation counts.
    /// </summary>
    public static IServiceCollection AddTotp(this IServiceCollection services, PortalOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(options.Totp);
        services.AddSingleton<ITotpConfigurationStore>(sp => new TotpConfigurationStore(sp.GetRequiredService<IStorageDatabase>()));
        if (!options.Totp.Disable)
        {
            services.AddSingleton<IUserSecondFactors, TotpSecondFactors>();
        }
        return services;
    }
}
