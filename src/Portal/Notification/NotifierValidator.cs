using Portal.Configuration;
using static Portal.Configuration.ConfigChecks;

namespace Portal.Notification;

/// <summary>Checks the <c>notifier</c> section: exactly one of SMTP and file, each complete.</summary>
internal static class NotifierValidator
{
    public static void Validate(PortalOptions options, ConfigDiagnostics diag)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(diag);
        var notifier = options.Notifier;
        const string Path = "notifier";
        if (notifier.Smtp is not null && notifier.Filesystem is not null)
        {
            diag.Error(Path, "please ensure only one of the 'smtp' or 'filesystem' notifier is configured");
        }
        else if (notifier.Smtp is null && notifier.Filesystem is null)
        {
            diag.Error(Path, "you must ensure either the 'smtp' or 'filesystem' notifier is configured");
        }
        if (notifier.TemplatePath.Length > 0 && !Directory.Exists(notifier.TemplatePath))
        {
            diag.Error(Path, "template_path", $"names '{notifier.TemplatePath}', which is not a directory");
        }
        if (notifier.Filesystem is { } fs && fs.Filename.Length == 0)
        {
            diag.Error($"{Path}.filesystem", "filename", "is required");
        }
        if (notifier.Smtp is { } smtp)
        {
            const string SmtpPath = $"{Path}.smtp";
            if (!SmtpNotifier.TryParseAddress(smtp.Address, out var scheme, out _, out _))
            {
                diag.Error(SmtpPath, "address", "must be a URL such as 'smtp://mail.example.com:25', 'submission://mail.example.com:587' or 'submissions://mail.example.com:465'");
            }
            if (smtp.Sender.Length == 0)
            {
                diag.Error(SmtpPath, "sender", "is required");
            }
            else if (!smtp.Sender.Contains('@', StringComparison.Ordinal) || !MimeKit.MailboxAddress.TryParse(smtp.Sender, out _))
            {
                diag.Error(SmtpPath, "sender", $"'{smtp.Sender}' must be an email address such as 'Portal <portal@example.com>'");
            }
            RequirePositive(diag, SmtpPath, "timeout", smtp.Timeout);
            RequireOneOf(diag, $"{SmtpPath}.tls", "minimum_version", smtp.Tls.MinimumVersion, "TLS1.2", "TLS1.3");
            if (smtp.Password.Length > 0 && smtp.Username.Length == 0)
            {
                diag.Error(SmtpPath, "username", "is required when 'password' is set");
            }
            if (smtp.DisableStarttls && scheme == "submission")
            {
                diag.Error(SmtpPath, "disable_starttls", "must be false with a 'submission://' address, which always uses STARTTLS (use 'smtp://' for plain text)");
            }
            else if (smtp.DisableStarttls && scheme == "smtp" && !smtp.DisableRequireTls)
            {
                diag.Error(SmtpPath, "disable_starttls", "is true, so the connection cannot be encrypted: also set 'disable_require_tls', or use 'submissions://'");
            }
        }
    }
}
