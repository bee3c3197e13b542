using Portal.Configuration;
using Portal.Infrastructure;

namespace Portal.Notification;

internal sealed class SmtpNotifierOptions
{
    public string Address { get; set; } = "smtp://localhost:25";
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);
    public string Username { get; set; } = "";
    public string Password { get; set; } = "";
    public string Identifier { get; set; } = "localhost";
    public string Sender { get; set; } = "";
    public string Subject { get; set; } = "[Portal] {title}";
    public string StartupCheckAddress { get; set; } = "Portal Test <test@portal.invalid>";
    public bool DisableRequireTls { get; set; }
    public bool DisableHtmlEmails { get; set; }
    public bool DisableStarttls { get; set; }
    public TlsClientOptions Tls { get; set; } = new();
}
