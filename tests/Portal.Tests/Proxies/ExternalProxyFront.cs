using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Portal.Tests.Support;

namespace Portal.Tests.Proxies;

/// <summary>Where an external proxy must listen and what it sits in front of.</summary>
internal sealed record ProxySetup(string Directory, int HttpsPort, int PortalPort, int UpstreamPort, TestCertificate Certificate)
{
    public string PortalAddress => $"127.0.0.1:{PortalPort}";

    /// <summary>Further portal nodes behind the same proxy (nginx only: its upstream lists every node).</summary>
    public IReadOnlyList<int> MorePortalPorts { get; init; } = [];

    /// <summary>The servers of nginx's <c>upstream portal</c>, as they replace <c>portal:9091</c>.</summary>
    public string PortalServers => string.Join("; server ", new[] { PortalPort }.Concat(MorePortalPorts).Select(p => $"127.0.0.1:{p}"));
    public string UpstreamAddress => $"127.0.0.1:{UpstreamPort}";
}

/// <summary>
/// A real proxy server (separate process) terminating TLS on 127.0.0.1 in front of a real portal and the echo
/// upstream. Clients resolve every host name to the proxy's port, so URLs read as in production.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes fixtures through IAsyncLifetime.DisposeAsync")]
public abstract class ExternalProxyFront : ProxyFront
{
    private TempDirectory? _dir;
    private TestCertificate? _certificate;
    private PortalTestHost? _portal;
    private EchoUpstream? _upstream;
    private ProxyProcess? _proxy;
    private HttpClient? _client;
    private int _port;

    internal override PortalTestHost Portal => _portal ?? throw new InvalidOperationException("not started");
    internal override EchoUpstream Upstream => _upstream ?? throw new InvalidOperationException("not started");

    /// <summary>Writes the proxy's configuration into <see cref="ProxySetup.Directory"/> and starts it.</summary>
    private protected abstract Task<ProxyProcess> StartProxyAsync(ProxySetup setup);

    public override async Task InitializeAsync()
    {
        _dir = new TempDirectory();
        _certificate = TestCertificate.Create(_dir.Path, "*.example.com", "example.com");
        _portal = await PortalTestHost.StartAsync(accessControl: ProxyFlowAccessControl.Yaml);
        _upstream = await EchoUpstream.StartAsync();
        _port = LoopbackPort.Free();
        _proxy = await StartProxyAsync(new ProxySetup(_dir.Path, _port, _portal.BaseAddress.Port, _upstream.Port, _certificate));
        _client = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectCallback = async (_, token) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(IPAddress.Loopback, _port, token);
                return new NetworkStream(socket, ownsSocket: true);
            },
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, cert, _, _) => _certificate.Matches(cert) },
        });
    }

    internal override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request) =>
        (_client ?? throw new InvalidOperationException("not started")).SendAsync(request);

    internal override async Task<RawResponse> SendRawAsync(string sni, string rawRequest)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, _port);
        await using var tls = new SslStream(tcp.GetStream(), false, (_, cert, _, _) => _certificate!.Matches(cert));
        await tls.AuthenticateAsClientAsync(sni);
        await tls.WriteAsync(Encoding.ASCII.GetBytes(rawRequest));
        await tls.FlushAsync();
        // Requests carry "Connection: close", so the server ends the stream after one response.
        using var reader = new StreamReader(tls, Encoding.Latin1);
        return RawResponse.Parse(await reader.ReadToEndAsync());
    }

    public override async Task DisposeAsync()
    {
        _client?.Dispose();
        _proxy?.Dispose();
        if (_upstream is not null)
        {
            await _upstream.DisposeAsync();
        }
        if (_portal is not null)
        {
            await _portal.DisposeAsync();
        }
        _dir?.Dispose();
    }
}

/// <summary>nginx 1.22 (Debian) with <c>deploy/nginx</c>: the snippets verbatim, the sites with test addresses.</summary>
public sealed class NginxFront : ExternalProxyFront
{
    public const string Binary = "/usr/sbin/nginx";

    /// <summary>nginx with the shipped files for <paramref name="setup"/>, outside the fixture (several portal nodes).</summary>
    internal static Task<ProxyProcess> StartAsync(ProxySetup setup) => new NginxFront().StartProxyAsync(setup);

    private protected override Task<ProxyProcess> StartProxyAsync(ProxySetup setup)
    {
        var dir = setup.Directory;
        foreach (var snippet in new[] { "proxy.conf", "portal-location.conf", "portal-authrequest.conf" })
        {
            DeployFiles.CopyTo(dir, Path.Combine("nginx", "snippets", snippet));
        }
        (string, string)[] site =
        [
            ("listen 443 ssl http2;", $"listen 127.0.0.1:{setup.HttpsPort} ssl;"),
            ("/etc/ssl/example.com/fullchain.pem", setup.Certificate.CertificateFile),
            ("/etc/ssl/example.com/privkey.pem", setup.Certificate.KeyFile),
        ];
        DeployFiles.CopyTo(dir, "nginx/conf.d/portal-upstreams.conf",
            ("server portal:9091;", $"server {setup.PortalServers};"), ("server app:8080;", $"server {setup.UpstreamAddress};"));
        DeployFiles.CopyTo(dir, "nginx/sites/auth.example.com.conf", site);
        // Every other *.example.com host is "the app", so one upstream serves all the ACL's domains.
        DeployFiles.CopyTo(dir, "nginx/sites/app.example.com.conf", [.. site, ("server_name app.example.com;", "server_name *.example.com;")]);
        Directory.CreateDirectory(Path.Combine(dir, "nginx", "tmp"));
        var errorLog = Path.Combine(dir, "nginx", "error.log");
        // Foreground, single process, every writable path in the temp dir: no root needed.
        File.WriteAllText(Path.Combine(dir, "nginx", "nginx.conf"), $$"""
            daemon off;
            master_process off;
            worker_processes 1;
            pid {{dir}}/nginx/nginx.pid;
            error_log {{errorLog}} info;
            events { worker_connections 256; }
            http {
                access_log off;
                client_body_temp_path {{dir}}/nginx/tmp/body;
                proxy_temp_path {{dir}}/nginx/tmp/proxy;
                fastcgi_temp_path {{dir}}/nginx/tmp/fastcgi;
                uwsgi_temp_path {{dir}}/nginx/tmp/uwsgi;
                scgi_temp_path {{dir}}/nginx/tmp/scgi;
                include conf.d/portal-upstreams.conf;
                include sites/auth.example.com.conf;
                include sites/app.example.com.conf;
            }
            """);
        return ProxyProcess.StartAsync(Binary, ["-e", errorLog, "-p", Path.Combine(dir, "nginx"), "-c", Path.Combine(dir, "nginx", "nginx.conf")],
            Path.Combine(dir, "nginx"), setup.HttpsPort, errorLog);
    }
}

/// <summary>Caddy 2.6 (Debian) with <c>deploy/caddy</c>: the snippet verbatim, the sites with test addresses.</summary>
public sealed class CaddyFront : ExternalProxyFront
{
    public const string Binary = "/usr/bin/caddy";

    private protected override Task<ProxyProcess> StartProxyAsync(ProxySetup setup)
    {
        var dir = Path.Combine(setup.Directory, "caddy");
        Directory.CreateDirectory(dir);
        var tls = $"\n\ttls {setup.Certificate.CertificateFile} {setup.Certificate.KeyFile}";
        DeployFiles.CopyTo(setup.Directory, "caddy/portal.caddy", ("forward_auth portal:9091 {", $"forward_auth {setup.PortalAddress} {{"));
        var sites = DeployFiles.Read("caddy/Caddyfile",
            ("import portal.caddy", $"import {Path.Combine(dir, "portal.caddy")}"),
            ("reverse_proxy portal:9091", $"reverse_proxy {setup.PortalAddress}"),
            ("reverse_proxy app:8080", $"reverse_proxy {setup.UpstreamAddress}"),
            ("auth.example.com {", $"https://auth.example.com:{setup.HttpsPort} {{{tls}"),
            // Every other *.example.com host is "the app", so one upstream serves all the ACL's domains.
            ("app.example.com {", $"https://*.example.com:{setup.HttpsPort} {{{tls}"));
        // Test-only global options: no admin endpoint, no certificate automation, state in the temp dir.
        File.WriteAllText(Path.Combine(dir, "Caddyfile"), $$"""
            {
            	admin off
            	auto_https off
            	storage file_system {{dir}}/data
            }

            {{sites}}
            """);
        var environment = new Dictionary<string, string> { ["HOME"] = dir, ["XDG_DATA_HOME"] = dir, ["XDG_CONFIG_HOME"] = dir };
        return ProxyProcess.StartAsync(Binary, ["run", "--config", Path.Combine(dir, "Caddyfile"), "--adapter", "caddyfile"],
            dir, setup.HttpsPort, environment: environment);
    }
}
