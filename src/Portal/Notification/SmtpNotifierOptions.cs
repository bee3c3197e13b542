using Portal.Configuration;
using Portal.Infrastructure;

namespace Portal.Notification;

internal sealed class SmtpNotifierOptions
{
    public string Address { get; init; } = "smtp://localhost:25";
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);
    public string Username { get; init; } = "";
    public string Password { get; init; } = "";
    public string Identifier { get; init; } = "localhost";
    public string Sender { get; init; } = "";
    public string Subject { get; init; } = "[Portal] {title}";
    public string StartupCheckAddress { get; init; } = "Portal Test <test@portal.invalid>";
    public bool DisableRequireTls { get; init; }
    public bool DisableHtmlEmails { get; init; }
    public bool DisableStarttls { get; init; }
    public TlsClientOptions Tls { get; init; } = new();
}
