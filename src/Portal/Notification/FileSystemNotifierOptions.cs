using Portal.Configuration;

namespace Portal.Notification;

internal sealed class FileSystemNotifierOptions
{
    [ConfigPath]
    public string Filename { get; init; } = "";
}
