using System.ComponentModel;
using Portal.Configuration;
using Portal.Infrastructure;

namespace Portal.Notification;

internal sealed class SmtpNotifierOptions
{
    [Description("smtp:// (STARTTLS; plain only with disable_require_tls), submission:// (STARTTLS required) or submissions:// (implicit TLS), with host and port.")]
    public string Address { get; init; } = "smtp://localhost:25";
    [Description("Connect and command timeout.")]
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);
    [Description("SMTP user.")]
    public string Username { get; init; } = "";
    [Description("SMTP password; prefer PORTAL_NOTIFIER_SMTP_PASSWORD_FILE.")]
    public string Password { get; init; } = "";
    [Description("Name given in HELO/EHLO.")]
    public string Identifier { get; init; } = "localhost";
    [Description("From address, e.g. 'Portal <portal@example.com>'. Required.")]
    public string Sender { get; init; } = "";
    [Description("Subject line; {title} is replaced by the message's title.")]
    public string Subject { get; init; } = "[Portal] {title}";
    [Description("Recipient used by the startup check (no mail is sent).")]
    public string StartupCheckAddress { get; init; } = "Portal Test <test@portal.invalid>";
    [Description("Allow sending without TLS (smtp:// only).")]
    public bool DisableRequireTls { get; init; }
    [Description("Send plain-text emails only.")]
    public bool DisableHtmlEmails { get; init; }
    [Description("Do not upgrade with STARTTLS.")]
    public bool DisableStarttls { get; init; }
    [Description("TLS settings of the SMTP connection.")]
    public TlsClientOptions Tls { get; init; } = new();
}
