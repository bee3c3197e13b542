using Microsoft.Extensions.Logging;
using Portal.Configuration;

namespace Portal.Notification;

/// <summary>Registers the configured notifier, the templates and the user-event mails.</summary>
internal static class NotificationServices
{
    public static IServiceCollection AddNotification(this IServiceCollection services, NotifierOptions options)
    {
        services.AddSingleton(_ => NotificationTemplates.Load(options.TemplatePath));
        services.AddSingleton<INotifier>(sp => options.Smtp is { } smtp
            ? new SmtpNotifier(smtp, sp.GetRequiredService<ILogger<SmtpNotifier>>())
            : new FileNotifier(options.Filesystem?.Filename ?? throw new NotificationException("notifier: no notifier is configured"), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IUserEventNotifier, UserEventNotifier>();
        return services;
    }

    /// <summary>
    /// Loads the templates and, unless <c>notifier.disable_startup_check</c>, proves the notifier works, so a wrong
    /// SMTP password stops startup instead of failing the first user who asks for a code.
    /// </summary>
    /// <exception cref="NotificationException">the templates or the notifier are unusable</exception>
    public static async Task CheckAtStartupAsync(IServiceProvider services, NotifierOptions options, CancellationToken cancellationToken)
    {
        _ = services.GetRequiredService<NotificationTemplates>();
        var notifier = services.GetRequiredService<INotifier>();
        if (!options.DisableStartupCheck)
        {
            await notifier.StartupCheckAsync(cancellationToken);
        }
    }
}
