using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Portal.Tests.Support;

namespace Portal.Tests.Gateway;

/// <summary>WebSocket upgrades go through the same decision, and once allowed the stream is relayed both ways.</summary>
public sealed class GatewayWebSocketTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Websocket_is_refused_anonymously_and_echoes_with_identity_after_login(bool remote)
    {
        await using var echo = await WebSocketEcho.StartAsync();
        string Route(string _) => $"""
                - hosts: ['app.example.com']
                  path: '/ws'
                  upstreams: ['{echo.BaseAddress}']
            """;
        await using var host = remote
            ? await GatewayTestHost.StartRemoteAsync(extraRoutes: Route)
            : await GatewayTestHost.StartInProcessAsync(extraRoutes: Route);
        var uri = new Uri($"wss://app.example.com:{host.Port}/ws/echo");

        using (var anonymous = new ClientWebSocket())
        {
            await Assert.ThrowsAsync<WebSocketException>(() => anonymous.ConnectAsync(uri, host.Client, CancellationToken.None));
        }
        Assert.Equal(0, echo.Connections);

        var cookie = await host.LoginAsync("john");
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Cookie", $"authelia_session={cookie}");
        socket.Options.SetRequestHeader("Remote-User", "admin");
        await socket.ConnectAsync(uri, host.Client, CancellationToken.None);
        Assert.Equal("hello john", await ReceiveAsync(socket));
        await socket.SendAsync(Encoding.UTF8.GetBytes("ping"), WebSocketMessageType.Text, true, CancellationToken.None);
        Assert.Equal("echo: ping", await ReceiveAsync(socket));
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
    }

    private static async Task<string> ReceiveAsync(WebSocket socket)
    {
        var buffer = new byte[1024];
        var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
        return Encoding.UTF8.GetString(buffer, 0, result.Count);
    }

    /// <summary>A WebSocket upstream: greets with the Remote-User it received, then echoes each message.</summary>
    private sealed class WebSocketEcho : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private int _connections;

        private WebSocketEcho(WebApplication app) => _app = app;

        public Uri BaseAddress => new(global::Portal.Infrastructure.PortalApp.BoundAddresses(_app)[0]);
        public int Connections => Volatile.Read(ref _connections);

        public static async Task<WebSocketEcho> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            var echo = new WebSocketEcho(app);
            app.UseWebSockets();
            app.Run(async context =>
            {
                if (!context.WebSockets.IsWebSocketRequest)
                {
                    context.Response.StatusCode = 400;
                    return;
                }
                Interlocked.Increment(ref echo._connections);
                using var socket = await context.WebSockets.AcceptWebSocketAsync();
                var users = string.Join(",", context.Request.Headers["Remote-User"].ToArray());
                await socket.SendAsync(Encoding.UTF8.GetBytes($"hello {users}"), WebSocketMessageType.Text, true, CancellationToken.None);
                var buffer = new byte[1024];
                while (true)
                {
                    var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                        return;
                    }
                    var text = "echo: " + Encoding.UTF8.GetString(buffer, 0, result.Count);
                    await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);
                }
            });
            await app.StartAsync();
            return echo;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
