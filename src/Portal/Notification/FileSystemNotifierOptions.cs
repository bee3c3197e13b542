using System.ComponentModel;
using Portal.Configuration;

namespace Portal.Notification;

internal sealed class FileSystemNotifierOptions
{
    [ConfigPath]
    [Description("The file messages are written to.")]
    public string Filename { get; init; } = "";
}
