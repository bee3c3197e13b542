using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using MimeKit;
using Portal.Configuration;
using MailKitAuthenticationException = MailKit.Security.AuthenticationException;

namespace Portal.Notification;

/// <summary>
/// <c>notifier.smtp</c> with MailKit, one connection per message (messages are rare: codes and account events).
/// TLS is required unless <c>disable_require_tls</c>: <c>submissions://</c> is TLS from the first byte,
/// <c>submission://</c> must upgrade with STARTTLS, and <c>smtp://</c> upgrades with STARTTLS (unless
/// <c>disable_starttls</c>) and, with <c>disable_require_tls</c>, falls back to plain text when it is not offered.
/// </summary>
internal sealed partial class SmtpNotifier : INotifier
{
    private readonly SmtpNotifierOptions _options;
    private readonly ILogger<SmtpNotifier> _logger;
    private readonly MailboxAddress _sender;
    private readonly SecureSocketOptions _security;

    public SmtpNotifier(SmtpNotifierOptions options, ILogger<SmtpNotifier> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options;
        _logger = logger;
        if (!TryParseAddress(options.Address, out var scheme, out var host, out var port))
        {
            throw new NotificationException($"notifier: smtp: address '{options.Address}' is not a smtp://, submission:// or submissions:// URL");
        }
        (Scheme, Host, Port) = (scheme, host, port);
        _sender = MailboxAddress.TryParse(options.Sender, out var sender)
            ? sender
            : throw new NotificationException($"notifier: smtp: sender '{options.Sender}' is not an email address");
        _security = SecurityFor(options, scheme);
    }

    public string Scheme { get; }
    public string Host { get; }
    public int Port { get; }

    /// <summary>The URL without credentials, for messages.</summary>
    public string Endpoint => $"{Scheme}://{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Parses <c>scheme://host[:port]</c>; the port defaults to 25, 587 or 465 by scheme.</summary>
    public static bool TryParseAddress(string address, out string scheme, out string host, out int port)
    {
        (scheme, host, port) = ("", "", 0);
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.Host.Length == 0 ||
            uri.Scheme is not ("smtp" or "submission" or "submissions") || uri.AbsolutePath is not ("" or "/") ||
            uri.Query.Length > 0 || uri.UserInfo.Length > 0)
        {
            return false;
        }
        scheme = uri.Scheme;
        host = uri.IdnHost.Trim('[', ']');
        port = uri.IsDefaultPort || uri.Port < 0 ? DefaultPort(scheme) : uri.Port;
        return true;
    }

    private static int DefaultPort(string scheme) => scheme switch
    {
        "submissions" => 465,
        "submission" => 587,
        _ => 25,
    };

    private static SecureSocketOptions SecurityFor(SmtpNotifierOptions options, string scheme) => scheme switch
    {
        "submissions" => SecureSocketOptions.SslOnConnect,
        "submission" => SecureSocketOptions.StartTls,
        _ when options.DisableStarttls => SecureSocketOptions.None,
        _ when options.DisableRequireTls => SecureSocketOptions.StartTlsWhenAvailable,
        _ => SecureSocketOptions.StartTls,
    };

    public async Task SendAsync(MailRecipient recipient, string subject, string textBody, string? htmlBody, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        var message = BuildMessage(recipient, subject, textBody, htmlBody);
        await RunAsync("deliver a message", async client =>
        {
            await client.SendAsync(message, cancellationToken);
            LogSent(_logger, recipient.Address, Endpoint);
        }, cancellationToken);
    }

    public Task StartupCheckAsync(CancellationToken cancellationToken) =>
        RunAsync("pass the startup check", client => client.NoOpAsync(cancellationToken), cancellationToken);

    internal MimeMessage BuildMessage(MailRecipient recipient, string subject, string textBody, string? htmlBody)
    {
        MailboxAddress to;
        try
        {
            to = new MailboxAddress(recipient.Name, recipient.Address);
        }
        catch (ParseException e)
        {
            throw new NotificationException($"notifier: smtp: the recipient address '{recipient.Address}' is not valid", e);
        }
        var message = new MimeMessage();
        message.From.Add(_sender);
        message.To.Add(to);
        message.Subject = _options.Subject.Replace("{title}", subject, StringComparison.Ordinal);
        var body = new BodyBuilder { TextBody = textBody };
        if (htmlBody is not null && !_options.DisableHtmlEmails)
        {
            body.HtmlBody = htmlBody;
        }
        message.Body = body.ToMessageBody();
        return message;
    }

    /// <summary>Connects (TLS as configured), logs in, runs <paramref name="action"/>, disconnects; errors become one clear message.</summary>
    private async Task RunAsync(string what, Func<SmtpClient, Task> action, CancellationToken cancellationToken)
    {
        using var client = new SmtpClient
        {
            Timeout = (int)Math.Min(int.MaxValue, _options.Timeout.TotalMilliseconds),
            LocalDomain = _options.Identifier,
            SslProtocols = _options.Tls.MinimumVersion == "TLS1.3" ? SslProtocols.Tls13 : SslProtocols.Tls12 | SslProtocols.Tls13,
        };
        if (_options.Tls.SkipVerify)
        {
            // The admin asked for it (self-signed lab servers); the connection stays encrypted, just unauthenticated.
#pragma warning disable CA5359 // tls.skip_verify: an explicit, documented opt-out.
            client.ServerCertificateValidationCallback = static (_, _, _, _) => true;
#pragma warning restore CA5359
        }
        try
        {
            using var socket = await ConnectSocketAsync(cancellationToken);
            // The TLS name (SNI and certificate check) is tls.server_name when set, else the address host.
            var tlsName = _options.Tls.ServerName.Length > 0 ? _options.Tls.ServerName : Host;
            await client.ConnectAsync(socket, tlsName, Port, _security, cancellationToken);
            if (_options.Username.Length > 0)
            {
                await client.AuthenticateAsync(_options.Username, _options.Password, cancellationToken);
            }
            await action(client);
            await client.DisconnectAsync(quit: true, cancellationToken);
        }
        catch (Exception e) when (e is not NotificationException && !cancellationToken.IsCancellationRequested && Describe(e) is { } reason)
        {
            LogFailed(_logger, e, what, Endpoint, reason);
            throw new NotificationException($"notifier: smtp: could not {what} with {Endpoint}: {reason}", e);
        }
    }

    private async Task<Socket> ConnectSocketAsync(CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.Timeout);
            try
            {
                await socket.ConnectAsync(Host, Port, timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"no connection within {_options.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s (notifier.smtp.timeout)");
            }
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>An admin-readable reason; null for exceptions that are bugs rather than delivery problems.</summary>
    private string? Describe(Exception e) => e switch
    {
        MailKitAuthenticationException => $"the server refused the login of '{_options.Username}' (check notifier.smtp.username and password)",
        SslHandshakeException => $"the TLS handshake failed ({FirstLine(e.Message)}); check notifier.smtp.tls.server_name, or the server's certificate",
        NotSupportedException when e.Message.Contains("STARTTLS", StringComparison.OrdinalIgnoreCase) =>
            "the server does not offer STARTTLS, and TLS is required (set notifier.smtp.disable_require_tls to send in plain text)",
        NotSupportedException when e.Message.Contains("authentication", StringComparison.OrdinalIgnoreCase) =>
            "the server offers no login (AUTH) on this connection, but notifier.smtp.username is set",
        SmtpCommandException command => $"the server answered {(int)command.StatusCode}: {FirstLine(command.Message)}",
        SmtpProtocolException => $"the server broke the SMTP protocol: {FirstLine(e.Message)}",
        SocketException => $"cannot connect: {e.Message}",
        TimeoutException => FirstLine(e.Message),
        OperationCanceledException => $"timed out after {_options.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s (notifier.smtp.timeout)",
        IOException => $"the connection failed: {FirstLine(e.Message)}",
        ServiceNotConnectedException or ServiceNotAuthenticatedException => FirstLine(e.Message),
        _ => null,
    };

    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }

    [LoggerMessage(EventId = 1600, Level = LogLevel.Debug, Message = "Sent a message to {Recipient} through {Endpoint}")]
    private static partial void LogSent(ILogger logger, string recipient, string endpoint);

    [LoggerMessage(EventId = 1601, Level = LogLevel.Error, Message = "SMTP notifier could not {What} with {Endpoint}: {Reason}")]
    private static partial void LogFailed(ILogger logger, Exception exception, string what, string endpoint, string reason);
}
