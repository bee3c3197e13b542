namespace Portal.Notification;

/// <summary>Delivers one message to one person: <c>notifier.smtp</c> or <c>notifier.filesystem</c>.</summary>
internal interface INotifier
{
    /// <param name="subject">the title; the SMTP notifier wraps it in <c>notifier.smtp.subject</c></param>
    /// <param name="htmlBody">null for a text-only message</param>
    /// <exception cref="NotificationException">the message could not be delivered; the message says why</exception>
    Task SendAsync(MailRecipient recipient, string subject, string textBody, string? htmlBody, CancellationToken cancellationToken);

    /// <summary>Proves at startup that messages can be delivered (server reachable and login accepted, file writable).</summary>
    /// <exception cref="NotificationException">they cannot; the message says why</exception>
    Task StartupCheckAsync(CancellationToken cancellationToken);
}
