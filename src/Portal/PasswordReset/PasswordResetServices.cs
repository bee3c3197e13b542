using Portal.Configuration;

namespace Portal.PasswordReset;

/// <summary>The password reset's switch and its services.</summary>
internal static class PasswordResetServices
{
    /// <summary><c>authentication_backend.password_reset.disable: false</c> (Portal's default is true: off until configured).</summary>
    public static bool Enabled(PortalOptions options) => !options.AuthenticationBackend.PasswordReset.Disable;

    public static IServiceCollection AddPasswordReset(this IServiceCollection services, PortalOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(new PasswordPolicy(options.PasswordPolicy));
        services.AddSingleton(sp => new ResetLinks(options.IdentityValidation.ResetPassword, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<PasswordResetLimits>();
        services.AddSingleton<PasswordResetMail>();
        return services;
    }
}
