using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using MimeKit;

namespace Portal.Tests.Support;

internal enum SmtpServerMode
{
    /// <summary>No TLS offered at all.</summary>
    Plain,

    /// <summary>STARTTLS offered on the plain port.</summary>
    StartTls,

    /// <summary>TLS from the first byte (submissions, port 465 style).</summary>
    ImplicitTls,
}

/// <summary>A message the server received, with what the connection looked like.</summary>
internal sealed record ReceivedMail(MimeMessage Message, string MailFrom, IReadOnlyList<string> Recipients, bool Tls, string? User, string Helo)
{
    public string Text => Message.TextBody ?? "";
    public string? Html => Message.HtmlBody;
}

/// <summary>
/// A real SMTP server (Debian's python3-aiosmtpd, driven by <c>smtp_sink.py</c>) on 127.0.0.1 and a free port, with a
/// self-signed certificate for <c>localhost</c>/127.0.0.1 when TLS is on and AUTH when a user is given. Received
/// messages are read back from the files the server writes.
/// </summary>
internal sealed class SmtpServer : IAsyncDisposable
{
    public const string PythonPath = "/usr/bin/python3";

    private readonly Process _process;
    private readonly TempDirectory _dir;
    private readonly HashSet<string> _seen = [];

    private SmtpServer(Process process, TempDirectory dir, int port, SmtpServerMode mode)
    {
        _process = process;
        _dir = dir;
        Port = port;
        Mode = mode;
    }

    public int Port { get; }
    public SmtpServerMode Mode { get; }

    /// <summary>The <c>notifier.smtp.address</c> for this server (<c>submissions://</c> for implicit TLS).</summary>
    public string Address => Mode switch
    {
        SmtpServerMode.ImplicitTls => $"submissions://127.0.0.1:{Port}",
        _ => $"smtp://127.0.0.1:{Port}",
    };

    private string MailDirectory => Path.Combine(_dir.Path, "mail");

    public static async Task<SmtpServer> StartAsync(SmtpServerMode mode = SmtpServerMode.Plain, string? user = null, string? password = null, bool requireStartTls = false)
    {
        if (!File.Exists(PythonPath) || !await PythonHasAiosmtpdAsync())
        {
            throw new InvalidOperationException("the SMTP test server needs Debian's python3-aiosmtpd: run scripts/install-test-deps.sh");
        }
        var dir = new TempDirectory();
        try
        {
            Directory.CreateDirectory(Path.Combine(dir.Path, "mail"));
            var start = new ProcessStartInfo(PythonPath)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Support", "smtp_sink.py"));
            start.ArgumentList.Add("--dir");
            start.ArgumentList.Add(Path.Combine(dir.Path, "mail"));
            start.ArgumentList.Add("--mode");
            start.ArgumentList.Add(mode switch { SmtpServerMode.StartTls => "starttls", SmtpServerMode.ImplicitTls => "tls", _ => "plain" });
            if (mode != SmtpServerMode.Plain)
            {
                var (cert, key) = WriteSelfSignedCertificate(dir.Path);
                start.ArgumentList.Add("--cert");
                start.ArgumentList.Add(cert);
                start.ArgumentList.Add("--key");
                start.ArgumentList.Add(key);
            }
            if (user is not null)
            {
                start.ArgumentList.Add("--user");
                start.ArgumentList.Add(user);
                start.ArgumentList.Add("--password");
                start.ArgumentList.Add(password ?? "");
            }
            if (requireStartTls)
            {
                start.ArgumentList.Add("--require-starttls");
            }
            var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the SMTP test server");
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            string? line;
            try
            {
                line = await process.StandardOutput.ReadLineAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                line = null;
            }
            if (line is null || !int.TryParse(line, out var port))
            {
                process.Kill();
                await process.WaitForExitAsync();
                throw new InvalidOperationException($"the SMTP test server did not start: {line} {await stderr}");
            }
            return new SmtpServer(process, dir, port, mode);
        }
        catch
        {
            dir.Dispose();
            throw;
        }
    }

    /// <summary>Waits for the next message not returned before (optionally one to <paramref name="recipient"/>).</summary>
    public Task<ReceivedMail> WaitForMailAsync(string? recipient = null, TimeSpan? timeout = null) =>
        Eventually.ValueAsync($"mail{(recipient is null ? "" : " to " + recipient)} to reach the SMTP test server",
            () => Task.FromResult(NextMail(recipient)), timeout);

    /// <summary>The oldest message not returned before (to <paramref name="recipient"/> if given), marked as returned.</summary>
    private ReceivedMail? NextMail(string? recipient)
    {
        foreach (var meta in Directory.GetFiles(MailDirectory, "*.json").Order(StringComparer.Ordinal))
        {
            if (_seen.Contains(meta))
            {
                continue;
            }
            var mail = Read(meta);
            if (recipient is null || mail.Recipients.Contains(recipient, StringComparer.OrdinalIgnoreCase))
            {
                _seen.Add(meta);
                return mail;
            }
        }
        return null;
    }

    /// <summary>Every message received so far.</summary>
    public IReadOnlyList<ReceivedMail> AllMail() =>
        Directory.GetFiles(MailDirectory, "*.json").Select(Read).ToList();

    private static ReceivedMail Read(string metaPath)
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(metaPath));
        var root = json.RootElement;
        var message = MimeMessage.Load(Path.ChangeExtension(metaPath, ".eml"));
        return new ReceivedMail(
            message,
            root.GetProperty("mail_from").GetString() ?? "",
            [.. root.GetProperty("rcpt_tos").EnumerateArray().Select(e => e.GetString() ?? "")],
            root.GetProperty("tls").GetBoolean(),
            root.GetProperty("user").GetString(),
            root.GetProperty("helo").GetString() ?? "");
    }

    private static (string Cert, string Key) WriteSelfSignedCertificate(string directory)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var certPath = Path.Combine(directory, "smtp.crt");
        var keyPath = Path.Combine(directory, "smtp.key");
        File.WriteAllText(certPath, cert.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certPath, keyPath);
    }

    private static async Task<bool> PythonHasAiosmtpdAsync()
    {
        var check = new ProcessStartInfo(PythonPath) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        check.ArgumentList.Add("-c");
        check.ArgumentList.Add("import aiosmtpd");
        using var process = Process.Start(check);
        if (process is null)
        {
            return false;
        }
        await process.WaitForExitAsync();
        return process.ExitCode == 0;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        _dir.Dispose();
    }
}
