using System.Net;
using System.Net.Sockets;
using Portal.Demo;

namespace Portal.Tests.Demo;

/// <summary>
/// A client that behaves like the newcomer's browser towards the demo: every *.localhost name reaches 127.0.0.1 on
/// the demo's port (as Chromium resolves them), redirects are not followed, and the session cookie is kept by hand
/// (HttpClient's cookie jar would not send a Secure cookie over http, which browsers do on *.localhost).
/// </summary>
internal sealed class DemoClient : IDisposable
{
    private readonly int _port;

    public DemoClient(int port)
    {
        _port = port;
        Http = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            ConnectCallback = async (context, ct) =>
            {
                Assert.True(context.DnsEndPoint.Host is "localhost" || context.DnsEndPoint.Host.EndsWith(".localhost", StringComparison.Ordinal),
                    $"the demo is only ever reached on a localhost name, not {context.DnsEndPoint.Host}");
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, _port), ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        })
        { Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpClient Http { get; }

    /// <summary>The session cookie value (<c>authelia_session</c>), once signed in.</summary>
    public string? Session { get; private set; }

    public string App(string path) => $"http://{DemoHost.AppHost}:{_port}{path}";

    public string Portal(string path) => $"http://{DemoHost.PortalHost}:{_port}{path}";

    /// <summary>A page visit: Accept text/html like a browser, with the session cookie when there is one.</summary>
    public async Task<HttpResponseMessage> GetPageAsync(string url, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd("text/html");
        if (Session is not null)
        {
            request.Headers.Add("Cookie", $"authelia_session={Session}");
        }
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        return await Http.SendAsync(request);
    }

    /// <summary>POST /api/firstfactor on the portal host, as the sign-in page does; keeps the new session cookie.</summary>
    public async Task<(HttpResponseMessage Response, string Body, string SetCookie)> SignInAsync(string username, string password, string? targetUrl = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Portal("/api/firstfactor"))
        {
            Content = Support.PortalTestHost.JsonBody(new { username, password, targetURL = targetUrl }),
        };
        if (Session is not null)
        {
            request.Headers.Add("Cookie", $"authelia_session={Session}");
        }
        var response = await Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        // The last session cookie wins, as in a browser (a refresh of the old session may come first).
        var setCookie = response.Headers.TryGetValues("Set-Cookie", out var values) ? values.Last() : "";
        if (setCookie.StartsWith("authelia_session=", StringComparison.Ordinal))
        {
            Session = setCookie["authelia_session=".Length..setCookie.IndexOf(';', StringComparison.Ordinal)];
        }
        return (response, body, setCookie);
    }

    public void Dispose() => Http.Dispose();
}
