using System.ComponentModel;
using Portal.Configuration;

namespace Portal.Notification;

internal sealed class NotifierOptions
{
    [Description("Skip the check that the notifier works at startup.")]
    public bool DisableStartupCheck { get; init; }
    [ConfigPath]
    [Description("A folder with templates overriding the built-in ones (IdentityVerificationOTC.html/.txt, Event.html/.txt).")]
    public string TemplatePath { get; init; } = "";
    [Description("Write each message to a file (mode 0600), for local use and tests. Exclusive with smtp.")]
    public FileSystemNotifierOptions? Filesystem { get; init; }
    [Description("Send email over SMTP. Exclusive with filesystem.")]
    public SmtpNotifierOptions? Smtp { get; init; }
}
