namespace Portal.Notification;

internal sealed class NotifierOptions
{
    public bool DisableStartupCheck { get; set; }
    public string TemplatePath { get; set; } = "";
    public FileSystemNotifierOptions? Filesystem { get; set; }
    public SmtpNotifierOptions? Smtp { get; set; }
}
