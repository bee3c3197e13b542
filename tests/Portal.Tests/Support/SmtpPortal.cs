using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;

namespace Portal.Tests.Support;

/// <summary>
/// A <see cref="PortalTestHost"/> whose notifier is a real SMTP server (<see cref="SmtpServer"/>, plain SMTP on
/// loopback), and the elevation flow over HTTP: request a code, read it from the mail the server received, submit it.
/// Other tests use <see cref="ElevateAsync"/> (or <c>host.ElevateAsync(cookie)</c>) before changing credentials.
/// </summary>
internal sealed partial class SmtpPortal : IAsyncDisposable
{
    private static readonly ConditionalWeakTable<PortalTestHost, SmtpServer> Servers = [];

    private SmtpPortal(PortalTestHost host, SmtpServer smtp)
    {
        Host = host;
        Smtp = smtp;
    }

    public PortalTestHost Host { get; }
    public SmtpServer Smtp { get; }

    /// <param name="extraYaml">merged over the defaults like <see cref="PortalTestHost.StartAsync"/>'s; must not contain a <c>notifier</c> key</param>
    public static async Task<SmtpPortal> StartAsync(string? extraYaml = null, bool manualClock = false, string? accessControl = null,
        Action<WebApplicationBuilder>? configure = null, string? storage = null)
    {
        var smtp = await SmtpServer.StartAsync();
        try
        {
            var yaml = $"""
                notifier:
                  filesystem: ~
                  smtp:
                    address: '{smtp.Address}'
                    sender: 'Portal <portal@example.com>'
                    disable_require_tls: true

                """ + (extraYaml ?? "");
            var host = await PortalTestHost.StartAsync(yaml, manualClock, accessControl, configure: configure, storage: storage);
            Servers.AddOrUpdate(host, smtp);
            return new SmtpPortal(host, smtp);
        }
        catch
        {
            await smtp.DisposeAsync();
            throw;
        }
    }

    /// <summary>POST /api/user/session/elevation, optionally as if from <paramref name="clientIp"/> (X-Forwarded-For from the trusted loopback peer).</summary>
    public static Task<HttpResponseMessage> RequestCodeAsync(PortalTestHost host, string cookie, string? clientIp = null, string portalHost = "auth.example.com") =>
        host.Client.SendAsync(Request(HttpMethod.Post, "/api/user/session/elevation", cookie, clientIp, portalHost));

    /// <summary>PUT /api/user/session/elevation with <c>{"otc": code}</c>.</summary>
    public static Task<HttpResponseMessage> SubmitCodeAsync(PortalTestHost host, string cookie, string code, string? clientIp = null) =>
        host.Client.SendAsync(Request(HttpMethod.Put, "/api/user/session/elevation", cookie, clientIp, body: new { otc = code }));

    /// <summary>GET /api/user/session/elevation, returning the <c>data</c> object.</summary>
    public static async Task<JsonElement> StateAsync(PortalTestHost host, string cookie, string? clientIp = null)
    {
        using var response = await host.Client.SendAsync(Request(HttpMethod.Get, "/api/user/session/elevation", cookie, clientIp));
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET elevation: {(int)response.StatusCode} {text}");
        }
        return JsonDocument.Parse(text).RootElement.GetProperty("data").Clone();
    }

    public static HttpRequestMessage Request(HttpMethod method, string path, string? cookie, string? clientIp = null, string portalHost = "auth.example.com", object? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Host = portalHost;
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", $"authelia_session={cookie}");
        }
        if (clientIp is not null)
        {
            request.Headers.Add("X-Forwarded-For", clientIp);
        }
        if (body is not null)
        {
            request.Content = PortalTestHost.JsonBody(body);
        }
        return request;
    }

    /// <summary>The one-time code in a received mail's text body (the built-in template puts it alone on an indented line).</summary>
    public static string CodeFrom(ReceivedMail mail) => CodeIn(mail.Text);

    /// <summary>The one-time code in a notification's text (the last one, for a file notifier's growing file).</summary>
    public static string CodeIn(string text) =>
        CodeLine().Matches(text) is { Count: > 0 } m ? m[^1].Groups["code"].Value : throw new InvalidOperationException("no one-time code in:\n" + text);

    /// <summary>Requests a code for the session of <paramref name="cookie"/> and returns it as read from the next mail the server receives.</summary>
    public async Task<string> EmailedCodeAsync(string cookie, string? clientIp = null)
    {
        (await RequestCodeAsync(Host, cookie, clientIp)).Dispose();
        return CodeFrom(await Smtp.WaitForMailAsync());
    }

    /// <summary>Requests a code, reads it from the real mail, submits it; returns the new (regenerated) session cookie.</summary>
    public Task<string> ElevateAsync(string cookie, string email = "john@example.com", string? clientIp = null) =>
        ElevateAsync(Host, Smtp, cookie, email, clientIp);

    public static async Task<string> ElevateAsync(PortalTestHost host, SmtpServer smtp, string cookie, string email = "john@example.com", string? clientIp = null)
    {
        ArgumentNullException.ThrowIfNull(smtp);
        using (var start = await RequestCodeAsync(host, cookie, clientIp))
        {
            if (start.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"POST elevation: {(int)start.StatusCode} {await start.Content.ReadAsStringAsync()}");
            }
        }
        var code = CodeFrom(await smtp.WaitForMailAsync(email));
        using var finish = await SubmitCodeAsync(host, cookie, code, clientIp);
        if (finish.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"PUT elevation: {(int)finish.StatusCode} {await finish.Content.ReadAsStringAsync()}");
        }
        return PortalTestHost.SessionCookie(finish) ?? throw new InvalidOperationException("elevation set no session cookie");
    }

    internal static SmtpServer ServerOf(PortalTestHost host) =>
        Servers.TryGetValue(host, out var smtp) ? smtp : throw new InvalidOperationException("this host was not started with SmtpPortal.StartAsync");

    [GeneratedRegex(@"^ {4}(?<code>[A-Z0-9]{1,20})\r?$", RegexOptions.Multiline)]
    private static partial Regex CodeLine();

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}

internal static class SmtpPortalExtensions
{
    /// <summary>The real-SMTP elevation flow for a host started by <see cref="SmtpPortal.StartAsync"/>; returns the new cookie.</summary>
    public static Task<string> ElevateAsync(this PortalTestHost host, string cookie, string email = "john@example.com", string? clientIp = null) =>
        SmtpPortal.ElevateAsync(host, SmtpPortal.ServerOf(host), cookie, email, clientIp);
}
