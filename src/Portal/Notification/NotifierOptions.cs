using Portal.Configuration;

namespace Portal.Notification;

internal sealed class NotifierOptions
{
    public bool DisableStartupCheck { get; init; }
    [ConfigPath]
    public string TemplatePath { get; init; } = "";
    public FileSystemNotifierOptions? Filesystem { get; init; }
    public SmtpNotifierOptions? Smtp { get; init; }
}
