using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Portal.Configuration;
using Portal.Gateway;
using Portal.Infrastructure;

namespace Portal.Tests.Support;

/// <summary>A raw HTTP/1.1 exchange: status, header block and body as received.</summary>
internal sealed record RawResponse(int Status, string Head, string Body)
{
    public string? Header(string name) => Head.Split("\r\n")
        .Where(l => l.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))
        .Select(l => l[(name.Length + 1)..].Trim()).FirstOrDefault();
}

/// <summary>
/// The gateway under test: a real portal (<see cref="PortalTestHost"/>), an <see cref="EchoUpstream"/>, and the gateway on
/// its own Kestrel socket (127.0.0.1, ephemeral port, TLS with a self-signed certificate for *.example.com and
/// *.example.net). In-process mode composes it exactly as <c>portal serve</c> does; remote mode loads a
/// gateway-only file exactly as <c>portal gateway</c> does. <see cref="Client"/> connects every host name to the
/// gateway, so tests address sites by name (https://app.example.com:PORT/) like a browser with DNS would.
/// </summary>
internal sealed class GatewayTestHost : IAsyncDisposable
{
    private readonly TempDirectory _dir;
    private readonly WebApplication _gateway;
    private readonly TestCertificate? _certificate;

    private GatewayTestHost(TempDirectory dir, PortalTestHost portal, EchoUpstream upstream, WebApplication gateway, TestCertificate? certificate, bool remote)
    {
        _dir = dir;
        Portal = portal;
        Upstream = upstream;
        _gateway = gateway;
        _certificate = certificate;
        IsRemote = remote;
        Port = new Uri(PortalApp.BoundAddresses(gateway)[0].Replace("[::]", "localhost", StringComparison.Ordinal)).Port;
        Client = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            ConnectCallback = ConnectAsync,
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, cert, _, _) => _certificate?.Matches(cert) == true },
        });
    }

    public PortalTestHost Portal { get; }
    public EchoUpstream Upstream { get; }
    public int Port { get; }
    public bool IsRemote { get; }
    public bool UsesTls => _certificate is not null;
    public string Scheme => UsesTls ? "https" : "http";

    /// <summary>Connects to the gateway whatever host the URL names; no redirects followed, no cookie jar.</summary>
    public HttpClient Client { get; }

    public string Url(string host, string pathAndQuery = "/") => $"{Scheme}://{host}:{Port}{pathAndQuery}";

    /// <summary>Route every test site to the echo upstream; extra routes/keys are appended to the gateway section.</summary>
    public static string Routes(EchoUpstream upstream, string extra = "") => $"""
          routes:
            - hosts: ['*.example.com', '*.example.net']
              upstreams: ['{upstream.BaseAddress}']
            - hosts: ['app.example.net']
              path: '/keeps-cookie'
              upstreams: ['{upstream.BaseAddress}']
              pass_session_cookie: true
            - hosts: ['public.example.com']
              path: '/no-websockets'
              upstreams: ['{upstream.BaseAddress}']
              websockets: false
        {extra}
        """;

    /// <summary><c>portal serve</c> with routes: portal and gateway in one process, decisions in-process.</summary>
    /// <param name="extraRoutes">more <c>routes</c> entries, given the upstream's address</param>
    /// <param name="reloadable">reload the configuration files on change and hand changed routes to the gateway, as <c>serve</c> does</param>
    public static async Task<GatewayTestHost> StartInProcessAsync(bool tls = true, string listen = "127.0.0.1", string? accessControl = null, string extraYaml = "",
        Func<string, string>? extraRoutes = null, bool reloadable = false)
    {
        var dir = new TempDirectory();
        EchoUpstream? upstream = null;
        PortalTestHost? portal = null;
        try
        {
            upstream = await EchoUpstream.StartAsync();
            var certificate = tls ? TestCertificate.Create(dir.Path, "*.example.com", "*.example.net", "example.com") : null;
            portal = await PortalTestHost.StartAsync(extraYaml: GatewayYaml(listen, certificate, upstream, portalUrl: null, extraRoutes?.Invoke(upstream.BaseAddress.ToString()) ?? "") + extraYaml,
                accessControl: accessControl, reloadable: reloadable);
            var gateway = GatewayApp.BuildInProcess(portal.Options, portal.App.Services);
            if (reloadable)
            {
                portal.App.Services.GetRequiredService<ConfigReloader>().AttachGateway(routes => GatewayApp.ReplaceRoutes(gateway, routes));
            }
            await gateway.StartAsync();
            return new GatewayTestHost(dir, portal, upstream, gateway, certificate, remote: false);
        }
        catch
        {
            await DisposeAllAsync(portal, upstream, dir);
            throw;
        }
    }

    /// <summary><c>portal gateway</c>: a gateway-only configuration file; every decision asked of the portal over HTTP.</summary>
    /// <param name="portalPath">appended to the portal's address in <c>gateway.portal_url</c> (a wrong URL for fail-closed tests)</param>
    public static async Task<GatewayTestHost> StartRemoteAsync(string? accessControl = null, Func<string, string>? extraRoutes = null, string portalPath = "")
    {
        var dir = new TempDirectory();
        EchoUpstream? upstream = null;
        PortalTestHost? portal = null;
        try
        {
            upstream = await EchoUpstream.StartAsync();
            var certificate = TestCertificate.Create(dir.Path, "*.example.com", "*.example.net", "example.com");
            portal = await PortalTestHost.StartAsync(accessControl: accessControl);
            File.WriteAllText(dir.File("gateway.yml"), "log:\n  level: warn\n" + GatewayYaml("127.0.0.1", certificate, upstream, portal.BaseAddress + portalPath, extraRoutes?.Invoke(upstream.BaseAddress.ToString()) ?? ""));
            var (options, errors, _) = global::Portal.Cli.GatewayCommand.Load([dir.File("gateway.yml")], new Dictionary<string, string>());
            if (errors.Count > 0)
            {
                throw new InvalidOperationException("gateway configuration is invalid:\n" + string.Join("\n", errors));
            }
            var gateway = GatewayApp.BuildRemote(options);
            await gateway.StartAsync();
            return new GatewayTestHost(dir, portal, upstream, gateway, certificate, remote: true);
        }
        catch
        {
            await DisposeAllAsync(portal, upstream, dir);
            throw;
        }
    }

    private static string GatewayYaml(string listen, TestCertificate? certificate, EchoUpstream upstream, string? portalUrl, string extraRoutes = "")
    {
        var tls = certificate is null ? "" : $"""
              tls:
                certificate: '{certificate.CertificateFile}'
                key: '{certificate.KeyFile}'
            """;
        return $"""

            gateway:
              address: 'tcp://{listen}:0/'
              portal_url: '{portalUrl ?? ""}'
            {tls}
            {Routes(upstream, extraRoutes)}
            """;
    }

    /// <summary>A request for <paramref name="host"/> through the gateway (the session cookie, if given, as a browser sends it).</summary>
    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string host, string pathAndQuery = "/", string? cookie = null, string accept = "text/html",
        Action<HttpRequestMessage>? tweak = null)
    {
        var request = new HttpRequestMessage(method, Url(host, pathAndQuery));
        if (accept.Length > 0)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }
        if (cookie is not null)
        {
            request.Headers.TryAddWithoutValidation("Cookie", $"authelia_session={cookie}");
        }
        tweak?.Invoke(request);
        return Client.SendAsync(request);
    }

    public Task<HttpResponseMessage> GetAsync(string host, string pathAndQuery = "/", string? cookie = null, string accept = "text/html",
        Action<HttpRequestMessage>? tweak = null) => SendAsync(HttpMethod.Get, host, pathAndQuery, cookie, accept, tweak);

    /// <summary>Logs in at the portal for the cookie domain of <paramref name="portalHost"/>; returns the session cookie value.</summary>
    public Task<string> LoginAsync(string username, string portalHost = "auth.example.com") => Portal.LoginAsync(username, portalHost: portalHost);

    /// <summary>
    /// Writes a request byte for byte (HttpClient would normalise dot segments, drop fragments and merge headers) and
    /// reads the whole answer. Header lines are sent exactly as given, in order.
    /// </summary>
    public async Task<RawResponse> SendRawAsync(string host, string rawTarget, string method = "GET", params (string Name, string Value)[] headers)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, Port);
        Stream stream = tcp.GetStream();
        if (_certificate is not null)
        {
            var ssl = new SslStream(stream, false, (_, cert, _, _) => _certificate.Matches(cert));
            await ssl.AuthenticateAsClientAsync(host);
            stream = ssl;
        }
        await using (stream)
        {
            var text = new StringBuilder();
            text.Append(method).Append(' ').Append(rawTarget).Append(" HTTP/1.1\r\n");
            text.Append("Host: ").Append(host).Append(':').Append(Port).Append("\r\n");
            foreach (var (name, value) in headers)
            {
                text.Append(name).Append(": ").Append(value).Append("\r\n");
            }
            if (!headers.Any(h => h.Name.Equals("Connection", StringComparison.OrdinalIgnoreCase)))
            {
                text.Append("Connection: close\r\n");
            }
            text.Append("\r\n");
            await stream.WriteAsync(Encoding.UTF8.GetBytes(text.ToString()));
            await stream.FlushAsync();
            using var reader = new MemoryStream();
            var buffer = new byte[8192];
            int n;
            try
            {
                while ((n = await stream.ReadAsync(buffer)) > 0)
                {
                    reader.Write(buffer, 0, n);
                    if (IsComplete(Encoding.Latin1.GetString(reader.ToArray())))
                    {
                        break;
                    }
                }
            }
            catch (IOException)
            {
                // The server may reset after answering; what arrived is the answer.
            }
            var all = Encoding.UTF8.GetString(reader.ToArray());
            var split = all.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            var head = split < 0 ? all : all[..split];
            var body = split < 0 ? "" : all[(split + 4)..];
            var status = head.Length >= 12 ? int.Parse(head.AsSpan(9, 3), System.Globalization.CultureInfo.InvariantCulture) : 0;
            return new RawResponse(status, head, body);
        }
    }

    /// <summary>
    /// Writes <paramref name="rawRequest"/> exactly as given (it must carry <c>Connection: close</c>) over TLS with
    /// <paramref name="sni"/> and returns everything the gateway answered.
    /// </summary>
    public async Task<string> SendExactAsync(string sni, string rawRequest)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, Port);
        var certificate = _certificate ?? throw new InvalidOperationException("the gateway runs without TLS");
        await using var tls = new SslStream(tcp.GetStream(), false, (_, cert, _, _) => certificate.Matches(cert));
        await tls.AuthenticateAsClientAsync(sni);
        await tls.WriteAsync(Encoding.ASCII.GetBytes(rawRequest));
        await tls.FlushAsync();
        using var reader = new StreamReader(tls, Encoding.Latin1);
        return await reader.ReadToEndAsync();
    }

    /// <summary>
    /// True once a whole answer arrived (a kept-alive connection would otherwise be read until the server's idle
    /// timeout): a 101 head, a body of Content-Length bytes, or the last chunk.
    /// </summary>
    private static bool IsComplete(string received)
    {
        var split = received.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (split < 0)
        {
            return false;
        }
        var head = received[..split];
        var body = received[(split + 4)..];
        if (head.StartsWith("HTTP/1.1 101", StringComparison.Ordinal))
        {
            return true;
        }
        var response = new RawResponse(0, head, body);
        if (response.Header("Content-Length") is { } length)
        {
            return Encoding.Latin1.GetByteCount(body) >= int.Parse(length, System.Globalization.CultureInfo.InvariantCulture);
        }
        if (response.Header("Transfer-Encoding") is { } te && te.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            return body.EndsWith("0\r\n\r\n", StringComparison.Ordinal);
        }
        return false;
    }

    /// <summary>Requests that reached the upstream with a path starting with <paramref name="pathPrefix"/>.</summary>
    public IReadOnlyList<UpstreamRequest> Reached(string pathPrefix) =>
        Upstream.Requests.Where(r => r.PathAndQuery.StartsWith(pathPrefix, StringComparison.Ordinal)).ToList();

    /// <summary>Stops the portal only (remote mode: the gateway must now fail closed).</summary>
    public async Task StopPortalAsync() => await Portal.App.StopAsync();

    private ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct) => ConnectToGatewayAsync(Port, ct);

    private static async ValueTask<Stream> ConnectToGatewayAsync(int port, CancellationToken ct)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task DisposeAllAsync(PortalTestHost? portal, EchoUpstream? upstream, TempDirectory dir)
    {
        if (portal is not null)
        {
            await portal.DisposeAsync();
        }
        if (upstream is not null)
        {
            await upstream.DisposeAsync();
        }
        dir.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _gateway.StopAsync();
        await _gateway.DisposeAsync();
        await DisposeAllAsync(Portal, Upstream, _dir);
    }
}
