namespace Portal.Notification;

/// <summary>A message could not be delivered. Messages start with <c>notifier:</c> so an admin knows where to look.</summary>
internal sealed class NotificationException : Exception
{
    public NotificationException()
    {
    }

    public NotificationException(string message) : base(message)
    {
    }

    public NotificationException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
