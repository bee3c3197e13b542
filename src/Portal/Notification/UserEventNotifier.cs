using System.Net;
using Microsoft.Extensions.Logging;
using Portal.Session;

namespace Portal.Notification;

internal sealed partial class UserEventNotifier(INotifier notifier, NotificationTemplates templates, TimeProvider time, ILogger<UserEventNotifier> logger)
    : IUserEventNotifier
{
    public async Task<bool> NotifyAsync(UserSession session, UserEvent userEvent, string details, IPAddress remoteIp, string domain, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(remoteIp);
        if (session.Emails.Count == 0)
        {
            LogNoAddress(logger, session.Username, userEvent);
            return false;
        }
        var title = userEvent switch
        {
            UserEvent.SecondFactorAdded => "Second Factor Method Added",
            UserEvent.SecondFactorRemoved => "Second Factor Method Removed",
            UserEvent.RecoveryCodeUsed => "Recovery Code Used",
            _ => throw new ArgumentOutOfRangeException(nameof(userEvent)),
        };
        var message = templates.Render(NotificationTemplates.Event, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Title"] = title,
            ["DisplayName"] = session.DisplayName.Length > 0 ? session.DisplayName : session.Username,
            ["Domain"] = domain,
            ["Event"] = title,
            ["Details"] = details,
            ["Date"] = NotificationTemplates.FormatDate(time.GetUtcNow()),
            ["RemoteIP"] = remoteIp.ToString(),
        });
        try
        {
            await notifier.SendAsync(new MailRecipient(session.Emails[0], session.DisplayName), message.Subject, message.Text, message.Html, cancellationToken);
            LogSent(logger, userEvent, session.Username);
            return true;
        }
        catch (NotificationException e)
        {
            LogFailed(logger, e, userEvent, session.Username);
            return false;
        }
    }

    [LoggerMessage(EventId = 1610, Level = LogLevel.Information, Message = "Emailed {Username} about {Event}")]
    private static partial void LogSent(ILogger logger, UserEvent @event, string username);

    [LoggerMessage(EventId = 1611, Level = LogLevel.Warning, Message = "Could not email {Username} about {Event}")]
    private static partial void LogFailed(ILogger logger, Exception exception, UserEvent @event, string username);

    [LoggerMessage(EventId = 1612, Level = LogLevel.Warning, Message = "Cannot email {Username} about {Event}: the user has no email address")]
    private static partial void LogNoAddress(ILogger logger, string username, UserEvent @event);
}
