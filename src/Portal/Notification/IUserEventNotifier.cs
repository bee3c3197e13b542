using System.Net;
using Microsoft.Extensions.Logging;
using Portal.Session;

namespace Portal.Notification;

/// <summary>
/// Tells a user about a change to their account (a security key added or removed), so an attacker who got in cannot
/// change it silently. Best effort: delivery problems are logged and never fail the change itself.
/// </summary>
internal interface IUserEventNotifier
{
    /// <param name="details">what changed, e.g. "Security key 'YubiKey 5'"</param>
    /// <returns>whether the message was sent (false: the user has no email address, or delivery failed)</returns>
    Task<bool> NotifyAsync(UserSession session, UserEvent userEvent, string details, IPAddress remoteIp, string domain, CancellationToken cancellationToken);
}
