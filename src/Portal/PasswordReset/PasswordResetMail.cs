using System.Globalization;
using System.Net;
using Portal.Notification;
using Portal.Regulation;
using Portal.Users;

namespace Portal.PasswordReset;

/// <summary>The reset's two emails: the link, and the notice that the password changed.</summary>
internal sealed partial class PasswordResetMail(INotifier notifier, NotificationTemplates templates, TimeProvider time, ILogger<PasswordResetMail> logger)
{
    /// <summary>
    /// Sends the link after the request has been answered, so the answer takes as long whether a user exists (and
    /// mail is sent) or not. Delivery problems are logged: the requester is never told.
    /// </summary>
    public void SendLinkInBackground(UserDetails user, string link, TimeSpan lifespan, IPAddress remoteIp, string domain)
    {
        var message = templates.Render(NotificationTemplates.IdentityVerificationJwt, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Title"] = "Reset your password",
            ["DisplayName"] = user.DisplayName.Length > 0 ? user.DisplayName : user.Username,
            ["Domain"] = domain,
            ["LinkURL"] = link,
            ["LinkText"] = "Choose a new password",
            ["Lifespan"] = Describe(lifespan),
            ["RemoteIP"] = RegulationKeys.Ip(remoteIp),
        });
        _ = Task.Run(async () =>
        {
            try
            {
                await notifier.SendAsync(new MailRecipient(user.Emails[0], user.DisplayName), message.Subject, message.Text, message.Html, CancellationToken.None);
                LogLinkSent(logger, user.Username, remoteIp);
            }
            catch (NotificationException e)
            {
                LogLinkFailed(logger, e, user.Username);
            }
        });
    }

    /// <summary>Tells the user the password changed; false when it could not be delivered (logged).</summary>
    public async Task<bool> SendChangedAsync(UserDetails user, IPAddress remoteIp, string domain, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.Emails.Count == 0)
        {
            return false;
        }
        var message = templates.Render(NotificationTemplates.Event, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Title"] = "Password Reset",
            ["DisplayName"] = user.DisplayName.Length > 0 ? user.DisplayName : user.Username,
            ["Domain"] = domain,
            ["Event"] = "Password Reset",
            ["Details"] = "Your password was changed with a link sent to this address. Every session of your account was signed out.",
            ["Date"] = NotificationTemplates.FormatDate(time.GetUtcNow()),
            ["RemoteIP"] = RegulationKeys.Ip(remoteIp),
        });
        try
        {
            await notifier.SendAsync(new MailRecipient(user.Emails[0], user.DisplayName), message.Subject, message.Text, message.Html, cancellationToken);
            return true;
        }
        catch (NotificationException e)
        {
            LogChangedFailed(logger, e, user.Username);
            return false;
        }
    }

    private static string Describe(TimeSpan lifespan) => lifespan.TotalMinutes switch
    {
        < 1 => string.Create(CultureInfo.InvariantCulture, $"{(int)lifespan.TotalSeconds} seconds"),
        < 120 => string.Create(CultureInfo.InvariantCulture, $"{(int)lifespan.TotalMinutes} minutes"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{(int)lifespan.TotalHours} hours"),
    };

    [LoggerMessage(EventId = 2010, Level = LogLevel.Information, Message = "Emailed a password reset link to {Username} (requested from {Ip})")]
    private static partial void LogLinkSent(ILogger logger, string username, IPAddress ip);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Error, Message = "Could not email a password reset link to {Username}")]
    private static partial void LogLinkFailed(ILogger logger, Exception exception, string username);

    [LoggerMessage(EventId = 2012, Level = LogLevel.Warning, Message = "Could not email {Username} that the password was reset")]
    private static partial void LogChangedFailed(ILogger logger, Exception exception, string username);
}
