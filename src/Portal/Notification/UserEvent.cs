using System.Net;
using Microsoft.Extensions.Logging;
using Portal.Session;

namespace Portal.Notification;

/// <summary>Changes to an account that its owner is told about by email.</summary>
internal enum UserEvent
{
    SecondFactorAdded,
    SecondFactorRemoved,
    RecoveryCodeUsed,
}
