using Portal.Configuration;
using Portal.Elevation;
using Portal.Storage;

namespace Portal.Totp;

internal static class TotpServices
{
    /// <summary>
    /// The TOTP options and, unless <c>totp.disable</c>, TOTP as a second factor elevation counts (the configuration
    /// store is registered with the other stores, <see cref="StorageServices.AddStores"/>).
    /// </summary>
    public static IServiceCollection AddTotp(this IServiceCollection services, PortalOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(options.Totp);
        if (!options.Totp.Disable)
        {
            services.AddSingleton<IUserSecondFactors, TotpSecondFactors>();
        }
        return services;
    }
}
