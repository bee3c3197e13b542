using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Portal.Tests.Proxies;
using Portal.Tests.Support;

namespace Portal.Tests.Storage;

/// <summary>
/// nginx with the shipped <c>deploy/nginx</c> files in front of two portal nodes (<see cref="A"/>, <see cref="B"/>,
/// tagged by <see cref="NodeTag"/>) that share one configuration, storage, session store and SMTP server, and the
/// echo upstream as the protected app. <see cref="Client"/> resolves every host name to nginx.
/// </summary>
internal sealed class NginxCluster : IAsyncDisposable
{
    private readonly TempDirectory _dir;
    private readonly List<IAsyncDisposable> _owned;
    private readonly ProxyProcess _nginx;

    private NginxCluster(TempDirectory dir, List<IAsyncDisposable> owned, ProxyProcess nginx, HttpClient client, SmtpServer smtp,
        (NodeTag A, NodeTag B) tags, PortalTestHost nodeA, PortalTestHost nodeB)
    {
        A = tags.A;
        B = tags.B;
        _dir = dir;
        _owned = owned;
        _nginx = nginx;
        Client = client;
        Smtp = smtp;
        NodeA = nodeA;
        NodeB = nodeB;
    }

    public NodeTag A { get; }
    public NodeTag B { get; }
    public PortalTestHost NodeA { get; }
    public PortalTestHost NodeB { get; }
    public SmtpServer Smtp { get; }

    /// <summary>A client of nginx: no redirects followed, no cookie jar.</summary>
    public HttpClient Client { get; }

    /// <param name="extraYaml">merged over the test defaults on both nodes (a <c>session.redis</c> section); must not contain <c>notifier</c></param>
    /// <param name="storage">the <c>storage</c> section of both nodes, indented by two</param>
    public static async Task<NginxCluster> StartAsync(string extraYaml, string storage)
    {
        var owned = new List<IAsyncDisposable>();
        var dir = new TempDirectory();
        try
        {
            var smtp = await SmtpServer.StartAsync();
            owned.Add(smtp);
            var yaml = $"""
                notifier:
                  filesystem: ~
                  smtp:
                    address: '{smtp.Address}'
                    sender: 'Portal <portal@example.com>'
                    disable_require_tls: true

                """ + extraYaml;
            var tags = (A: new NodeTag("A"), B: new NodeTag("B"));
            var nodeA = await PortalTestHost.StartAsync(yaml, accessControl: ProxyFlowAccessControl.Yaml, storage: storage, configure: tags.A.AddTo);
            owned.Add(nodeA);
            var nodeB = await PortalTestHost.StartAsync(yaml, accessControl: ProxyFlowAccessControl.Yaml, storage: storage, configure: tags.B.AddTo);
            owned.Add(nodeB);
            var upstream = await EchoUpstream.StartAsync();
            owned.Add(upstream);
            var certificate = TestCertificate.Create(dir.Path, "*.example.com", "example.com");
            var port = LoopbackPort.Free();
            var nginx = await NginxFront.StartAsync(new ProxySetup(dir.Path, port, nodeA.BaseAddress.Port, upstream.Port, certificate)
            {
                MorePortalPorts = [nodeB.BaseAddress.Port],
            });
            var client = new HttpClient(new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                ConnectCallback = async (_, token) =>
                {
                    var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    await socket.ConnectAsync(IPAddress.Loopback, port, token);
                    return new NetworkStream(socket, ownsSocket: true);
                },
                SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, cert, _, _) => certificate.Matches(cert) },
            });
            return new NginxCluster(dir, owned, nginx, client, smtp, tags, nodeA, nodeB);
        }
        catch
        {
            await DisposeAllAsync(owned);
            dir.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Sends <paramref name="request"/> through nginx so that <paramref name="node"/> answers it, and checks that it
    /// did. nginx's one worker hands the two servers of <c>upstream portal</c> their requests in turn (auth
    /// subrequests included), so after a probe answered by the other node the next request goes to this one.
    /// </summary>
    public async Task<HttpResponseMessage> SendToAsync(NodeTag node, HttpRequestMessage request)
    {
        for (var probes = 1; ; probes++)
        {
            using var probe = await Client.GetAsync(new Uri("https://auth.example.com/api/health"));
            Assert.Equal(HttpStatusCode.OK, probe.StatusCode);
            if (NodeTag.Of(probe) != node.Name)
            {
                break;
            }
            Assert.True(probes < 3, $"nginx sent {probes} probes in a row to node {node.Name}");
        }
        var response = await Client.SendAsync(request);
        Assert.Equal(node.Name, NodeTag.Of(response));
        return response;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        _nginx.Dispose();
        await DisposeAllAsync(_owned);
        _dir.Dispose();
    }

    private static async Task DisposeAllAsync(List<IAsyncDisposable> owned)
    {
        for (var i = owned.Count - 1; i >= 0; i--)
        {
            await owned[i].DisposeAsync();
        }
    }
}
