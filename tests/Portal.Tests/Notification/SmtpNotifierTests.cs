using Microsoft.Extensions.Logging.Abstractions;
using Portal.Configuration;
using Portal.Infrastructure;
using Portal.Notification;
using Portal.Tests.Support;

namespace Portal.Tests.Notification;

/// <summary>The SMTP notifier against a real SMTP server (aiosmtpd) in each TLS mode.</summary>
[Trait("Category", "Integration")]
public sealed class SmtpNotifierTests
{
    private static readonly MailRecipient John = new("john@example.com", "John Doe");

    private static SmtpNotifier Notifier(string address, bool disableRequireTls = false, string username = "", string password = "",
        bool skipVerify = false, string minimumVersion = "TLS1.2", string serverName = "", bool disableHtmlEmails = false)
    {
        var options = new SmtpNotifierOptions
        {
            Address = address, Sender = "Portal <portal@example.com>", Identifier = "portal.test", Timeout = TimeSpan.FromSeconds(10),
            DisableRequireTls = disableRequireTls, Username = username, Password = password, DisableHtmlEmails = disableHtmlEmails,
            Tls = new TlsClientOptions { SkipVerify = skipVerify, MinimumVersion = minimumVersion, ServerName = serverName },
        };
        return new SmtpNotifier(options, NullLogger<SmtpNotifier>.Instance);
    }

    [Fact]
    public async Task Plain_smtp_delivers_text_and_html_with_the_subject_template_sender_and_identifier_when_tls_is_not_required()
    {
        await using var smtp = await SmtpServer.StartAsync(SmtpServerMode.Plain, "portal", "s3cret");
        var notifier = Notifier(smtp.Address, disableRequireTls: true, username: "portal", password: "s3cret");

        await notifier.SendAsync(John, "Confirm your identity", "text body", "<p>html body</p>", CancellationToken.None);

        var mail = await smtp.WaitForMailAsync();
        Assert.Equal("[Portal] Confirm your identity", mail.Message.Subject);
        Assert.Equal("portal@example.com", mail.MailFrom);
        Assert.Equal(["john@example.com"], mail.Recipients);
        Assert.Equal("John Doe", Assert.IsType<MimeKit.MailboxAddress>(Assert.Single(mail.Message.To)).Name);
        Assert.Equal("text body", mail.Text.TrimEnd());
        Assert.Equal("<p>html body</p>", mail.Html?.TrimEnd());
        Assert.False(mail.Tls);
        Assert.Equal("portal", mail.User);
        Assert.Equal("portal.test", mail.Helo);
    }

    [Fact]
    public async Task Smtp_scheme_upgrades_with_starttls_before_logging_in()
    {
        await using var smtp = await SmtpServer.StartAsync(SmtpServerMode.StartTls, "portal", "s3cret", requireStartTls: true);
        var notifier = Notifier(smtp.Address, username: "portal", password: "s3cret", skipVerify: true);

        await notifier.StartupCheckAsync(CancellationToken.None);
        await notifier.SendAsync(John, "Hello", "text", null, CancellationToken.None);

        var mail = await smtp.WaitForMailAsync();
        Assert.True(mail.Tls);
        Assert.Equal("portal", mail.User);
        Assert.Null(mail.Html);
    }

    [Fact]
    public async Task Submission_scheme_uses_starttls()
    {
        await using var smtp = await SmtpServer.StartAsync(SmtpServerMode.StartTls, "portal", "s3cret");
        var notifier = Notifier($"submission://127.0.0.1:{smtp.Port}", username: "portal", password: "s3cret", skipVerify: true);

        await notifier.SendAsync(John, "Hello", "text", "<p>html</p>", CancellationToken.None);

        Assert.True((await smtp.WaitForMailAsync()).Tls);
    }

    [Fact]
    public async Task Submissions_scheme_speaks_tls_from_the_first_byte()
    {
        await using var smtp = await SmtpServer.StartAsync(SmtpServerMode.ImplicitTls, "portal", "s3cret");
        var notifier = Notifier(smtp.Address, username: "portal", password: "s3cret", skipVerify: true, minimumVersion: "TLS1.3");

        await notifier.StartupCheckAsync(CancellationToken.None);
        await notifier.SendAsync(John, "Hello", "text", "<p>html</p>", CancellationToken.None);

        var mail = await smtp.WaitForMailAsync();
        Assert.True(mail.Tls);
        Assert.Equal("portal", mail.User);
    }

    [Fact]
    public async Task Smtp_scheme_refuses_a_server_without_starttls_unless_tls_is_explicitly_not_required()
    {
        await using var smtp = await SmtpServer.StartAsync(SmtpServerMode.Plain);
        var notifier = Notifier(smtp.Address);

        var e = await Assert.ThrowsAsync<NotificationException>(() => notifier.SendAsync(John, "Hello", "secret code", null, CancellationToken.None));

        Assert.Contains("does not offer STARTTLS", e.Message, StringComparison.Ordinal);
        Assert.Contains("disable_require_tls", e.Message, StringComparison.Ordinal);
        Assert.Empty(smtp.AllMail());
    }

    [Fact]
    public async Task Submission_scheme_refuses_a_server_without_starttls_even_when_tls_is_not_required()
    {
        await using var smtp = await SmtpServer.StartAsync(SmtpServerMode.Plain);
        var notifier = Notifier($"submission://127.0.0.1:{smtp.Port}", disableRequireTls: true);

        var e = await Assert.ThrowsAsync<NotificationException>(() => notifier.StartupCheckAsync(CancellationToken.None));

        Assert.Contains("does not offer STARTTLS", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_untrusted_certificate_fails_the_startup_check_unless_skip_verify()
    {
        await using var smtp = await SmtpServer.StartAsync(SmtpServerMode.ImplicitTls);

        var e = await Assert.ThrowsAsync<NotificationException>(() => Notifier(smtp.Address, serverName: "localhost").StartupCheckAsync(CancellationToken.None));

        Assert.StartsWith($"notifier: smtp: could not pass the startup check with submissions://127.0.0.1:{smtp.Port}: the TLS handshake failed", e.Message, StringComparison.Ordinal);
        await Notifier(smtp.Address, skipVerify: true).StartupCheckAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_wrong_password_fails_the_startup_check_with_a_clear_message()
    {
        await using var smtp = await SmtpServer.StartAsync(SmtpServerMode.StartTls, "portal", "s3cret");
        var notifier = Notifier(smtp.Address, username: "portal", password: "wrong", skipVerify: true);

        var e = await Assert.ThrowsAsync<NotificationException>(() => notifier.StartupCheckAsync(CancellationToken.None));

        Assert.True(e.Message.Contains("the server refused the login of 'portal'", StringComparison.Ordinal), e.Message);
        Assert.DoesNotContain("wrong", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_server_fails_the_startup_check_with_a_clear_message()
    {
        var port = LoopbackPort.Free();

        var e = await Assert.ThrowsAsync<NotificationException>(() => Notifier($"smtp://127.0.0.1:{port}").StartupCheckAsync(CancellationToken.None));

        Assert.StartsWith($"notifier: smtp: could not pass the startup check with smtp://127.0.0.1:{port}: cannot connect", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disable_html_emails_sends_only_the_text_part()
    {
        await using var smtp = await SmtpServer.StartAsync(SmtpServerMode.Plain);
        var notifier = Notifier(smtp.Address, disableRequireTls: true, disableHtmlEmails: true);

        await notifier.SendAsync(John, "Hello", "text", "<p>html</p>", CancellationToken.None);

        var mail = await smtp.WaitForMailAsync();
        Assert.Null(mail.Html);
        Assert.Equal("text", mail.Text.TrimEnd());
    }

    [Fact]
    public async Task Line_breaks_in_a_title_or_name_cannot_add_headers_or_recipients()
    {
        await using var smtp = await SmtpServer.StartAsync(SmtpServerMode.Plain);
        var notifier = Notifier(smtp.Address, disableRequireTls: true);

        await notifier.SendAsync(new MailRecipient("john@example.com", "John\r\nBcc: evil@example.net"), "Hi\r\nBcc: evil@example.net", "text", null, CancellationToken.None);

        var mail = await smtp.WaitForMailAsync();
        Assert.Equal(["john@example.com"], mail.Recipients);
        Assert.Empty(mail.Message.Bcc);
        Assert.Single(mail.Message.To);
    }

    [Theory]
    [InlineData("smtp://mail.example.com", "smtp", 25)]
    [InlineData("submission://mail.example.com", "submission", 587)]
    [InlineData("submissions://mail.example.com", "submissions", 465)]
    [InlineData("smtp://mail.example.com:2525", "smtp", 2525)]
    [InlineData("submissions://[::1]:465", "submissions", 465)]
    public void Addresses_default_the_port_by_scheme(string address, string scheme, int port)
    {
        Assert.True(SmtpNotifier.TryParseAddress(address, out var s, out _, out var p));
        Assert.Equal((scheme, port), (s, p));
    }

    [Theory]
    [InlineData("http://mail.example.com")]
    [InlineData("mail.example.com:25")]
    [InlineData("smtp://user:pass@mail.example.com")]
    [InlineData("smtp://mail.example.com/path")]
    [InlineData("smtp://")]
    public void Other_addresses_are_refused(string address) =>
        Assert.False(SmtpNotifier.TryParseAddress(address, out _, out _, out _));
}
