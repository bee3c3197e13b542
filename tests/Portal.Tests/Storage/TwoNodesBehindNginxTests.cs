using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Portal.Tests.Proxies;
using Portal.Tests.Session;
using Portal.Tests.Support;

namespace Portal.Tests.Storage;

/// <summary>
/// nginx with the shipped <c>deploy/nginx</c> files in front of two portal nodes (one PostgreSQL, one Redis): a user
/// signs in through whichever node nginx picks and keeps reaching the app; when one node dies, the other keeps serving.
/// </summary>
[Trait("Category", "Integration")]
[Collection("postgres")]
public sealed class TwoNodesBehindNginxTests(PostgresServerFixture server) : IDisposable
{
    private readonly RedisServerFixture _redis = new();

    public void Dispose() => _redis.Dispose();

    [Fact]
    public async Task Sessions_hold_across_both_nodes_behind_nginx_and_the_app_stays_reachable_when_one_node_dies()
    {
        var storage = server.StorageYaml(PostgresServerFixture.UniqueSchema("nginx"));
        var nodeA = await PortalTestHost.StartAsync(_redis.SessionYaml("2s"), accessControl: ProxyFlowAccessControl.Yaml, storage: storage);
        await using var nodeB = await PortalTestHost.StartAsync(_redis.SessionYaml("2s"), accessControl: ProxyFlowAccessControl.Yaml, storage: storage);
        await using var upstream = await EchoUpstream.StartAsync();
        using var dir = new TempDirectory();
        var certificate = TestCertificate.Create(dir.Path, "*.example.com", "example.com");
        var port = LoopbackPort.Free();
        using var nginx = await NginxFront.StartAsync(new ProxySetup(dir.Path, port, nodeA.BaseAddress.Port, upstream.Port, certificate)
        {
            MorePortalPorts = [nodeB.BaseAddress.Port],
        });
        using var client = new HttpClient(new SocketsHttpHandler
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

        async Task<HttpResponseMessage> AppAsync(string? cookie)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "https://app.example.com/dashboard");
            request.Headers.Accept.ParseAdd("text/html");
            if (cookie is not null)
            {
                request.Headers.Add("Cookie", $"authelia_session={cookie}");
            }
            return await client.SendAsync(request);
        }

        using (var anonymous = await AppAsync(null))
        {
            Assert.Equal(HttpStatusCode.Found, anonymous.StatusCode);
        }
        using var login = new HttpRequestMessage(HttpMethod.Post, "https://auth.example.com/api/firstfactor")
        {
            Content = PortalTestHost.JsonBody(new { username = "john", password = PortalTestHost.Password }),
        };
        using var signedIn = await client.SendAsync(login);
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        var cookie = PortalTestHost.SessionCookie(signedIn)!;

        // nginx balances the auth subrequests over both nodes: every one must know the session.
        for (var i = 0; i < 20; i++)
        {
            using var allowed = await AppAsync(cookie);
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
            Assert.Equal(EchoUpstream.Marker, PortalTestHost.Header(allowed, "X-Upstream"));
            var seen = System.Text.Json.JsonSerializer.Deserialize<UpstreamRequest>(await allowed.Content.ReadAsStringAsync())!;
            Assert.Equal(["john"], seen.Values("Remote-User"));
        }

        await nodeA.DisposeAsync();

        for (var i = 0; i < 10; i++)
        {
            using var stillAllowed = await AppAsync(cookie);
            Assert.Equal(HttpStatusCode.OK, stillAllowed.StatusCode);
        }
        using var stillRefused = await AppAsync(null);
        Assert.Equal(HttpStatusCode.Found, stillRefused.StatusCode);
    }
}
