namespace Portal.Notification;

/// <summary>Who a message goes to: the address, and the display name shown next to it.</summary>
internal sealed record MailRecipient(string Address, string Name);
