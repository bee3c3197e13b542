using System.Net;
using System.Net.Sockets;
using Portal.Configuration;
using Portal.Infrastructure;

namespace Portal.Cli;

/// <summary>
/// <c>portal healthcheck [--url URL] [--config FILE]</c>: GETs the portal's <c>/api/health</c> and exits 0 on 200,
/// 1 otherwise. For container health checks: the runtime image has no curl or wget.
/// </summary>
internal static class HealthcheckCommand
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var parsed = CliArgs.Parse(args, ["url", "config"]);
        if (parsed.Positionals.Count > 0)
        {
            throw new CliUsageException($"unexpected argument '{parsed.Positionals[0]}'");
        }
        Uri url;
        string? socketPath = null;
        if (parsed.Value("url") is { } given)
        {
            if (!Uri.TryCreate(given, UriKind.Absolute, out url!) || url.Scheme is not ("http" or "https"))
            {
                throw new CliUsageException($"option --url must be an absolute http(s) URL, not '{given}'");
            }
        }
        else
        {
            var server = ServerFromConfig(parsed, stderr);
            if (server is null)
            {
                return 1;
            }
            if (!ListenAddress.TryParse(server.Address, out var address, out var error))
            {
                await stderr.WriteLineAsync($"Error: server: option 'address' {error}");
                return 1;
            }
            (url, socketPath) = HealthUrl(address, https: server.Tls.Certificate.Length > 0);
        }

        using var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            // On loopback (or a unix socket) this is the portal's own certificate, issued for its public name:
            // liveness, not identity, is what is checked there. Any other host is validated normally.
            SslOptions = { RemoteCertificateValidationCallback = (_, _, _, errors) => errors == System.Net.Security.SslPolicyErrors.None || url.IsLoopback || socketPath is not null },
        };
        if (socketPath is not null)
        {
            handler.ConnectCallback = async (_, token) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), token).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            };
        }
        using var client = new HttpClient(handler) { Timeout = Timeout };
        try
        {
            using var response = await client.GetAsync(url).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                await stdout.WriteLineAsync($"OK: {url} answered 200").ConfigureAwait(false);
                return 0;
            }
            await stderr.WriteLineAsync($"Unhealthy: {url} answered {(int)response.StatusCode}").ConfigureAwait(false);
            return 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            await stderr.WriteLineAsync($"Unhealthy: {url}: {e.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    /// <summary>The server section from --config / PORTAL_CONFIG, or the defaults when neither is given.</summary>
    private static ServerOptions? ServerFromConfig(CliArgs parsed, TextWriter stderr)
    {
        var environment = ConfigLoader.ProcessEnvironment();
        if (parsed.Values("config").Count == 0 && !environment.ContainsKey("PORTAL_CONFIG"))
        {
            return new ServerOptions();
        }
        var config = CliConfig.Load(parsed, stderr);
        return config.IsValid ? config.Options.Server : null;
    }

    /// <summary>
    /// <c>/api/health</c> under the listen address: an unspecified host is reached on loopback, a unix socket
    /// through the socket (the URL's host is then only the Host header).
    /// </summary>
    internal static (Uri Url, string? SocketPath) HealthUrl(ListenAddress address, bool https)
    {
        var basePath = address.BasePath == "/" ? "" : address.BasePath;
        if (address.IsUnixSocket)
        {
            return (new Uri($"{(https ? "https" : "http")}://localhost{basePath}/api/health"), address.SocketPath);
        }
        var host = address.Host switch
        {
            null => address.Scheme == "tcp6" ? "[::1]" : "127.0.0.1",
            { } ip when ip.Equals(IPAddress.IPv6Any) => "[::1]",
            { AddressFamily: AddressFamily.InterNetworkV6 } ip => $"[{ip}]",
            { } ip => ip.ToString(),
        };
        return (new Uri(FormattableString.Invariant($"{(https ? "https" : "http")}://{host}:{address.Port}{basePath}/api/health")), null);
    }
}
