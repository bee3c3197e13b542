namespace Portal.Notification;

internal sealed class FileSystemNotifierOptions
{
    public string Filename { get; set; } = "";
}
