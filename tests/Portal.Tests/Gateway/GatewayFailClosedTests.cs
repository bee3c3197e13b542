using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using System.Net;
using Portal.ForwardAuth;
using Portal.Configuration;
using Portal.Gateway;
using Portal.Tests.Support;

namespace Portal.Tests.Gateway;

/// <summary>When no decision can be had, nothing is forwarded: the gateway answers with its own error page.</summary>
public sealed class GatewayFailClosedTests
{
    [Fact]
    public async Task Remote_gateway_with_the_portal_down_answers_502_and_forwards_nothing()
    {
        await using var host = await GatewayTestHost.StartRemoteAsync();
        var cookie = await host.LoginAsync("john");
        using (var before = await host.GetAsync("app.example.com", "/before", cookie))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }
        await host.StopPortalAsync();
        foreach (var site in new[] { "app.example.com", "public.example.com" })
        {
            using var response = await host.GetAsync(site, "/after", cookie);
            Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
            Assert.Contains("Bad Gateway", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.Empty(host.Reached("/after"));
    }

    [Theory]
    [InlineData(500)]
    [InlineData(404)]
    [InlineData(204)]
    public async Task Remote_portal_answer_that_is_not_a_decision_fails_closed(int status)
    {
        // A wrong portal_url (404), a crashing portal (500) or a stray 2xx must never read as "allowed".
        await using var fake = await FakePortal.StartAsync(status);
        using var decider = new RemoteGatewayDecider(fake.BaseAddress, TimeSpan.FromSeconds(10));
        await Assert.ThrowsAsync<PortalUnreachableException>(() => decider.DecideAsync(Question(), CancellationToken.None));
    }

    [Fact]
    public async Task Remote_portal_answering_200_without_the_decision_marker_fails_closed()
    {
        // A 200 from anything but the forward-auth endpoint (a sign-in page, a health check) is not "allowed".
        await using var fake = await FakePortal.StartAsync(200, ("Remote-User", "john"));
        using var decider = new RemoteGatewayDecider(fake.BaseAddress, TimeSpan.FromSeconds(10));
        await Assert.ThrowsAsync<PortalUnreachableException>(() => decider.DecideAsync(Question(), CancellationToken.None));
        Assert.NotNull(await decider.ProbeAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Remote_gateway_whose_portal_url_leads_to_a_page_forwards_nothing()
    {
        // The portal serves its sign-in page (200) under unknown paths, so /elsewhere/api/authz/forward-auth answers 200.
        await using var host = await GatewayTestHost.StartRemoteAsync(portalPath: "elsewhere/");
        var cookie = await host.LoginAsync("john");
        foreach (var site in new[] { "app.example.com", "public.example.com" })
        {
            using var response = await host.GetAsync(site, "/wrong-portal-url", cookie);
            Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        }
        Assert.Empty(host.Reached("/wrong-portal-url"));
    }

    [Fact]
    public async Task Probe_accepts_the_portals_forward_auth_endpoint_and_refuses_any_other_url()
    {
        await using var portal = await PortalTestHost.StartAsync();
        using var right = new RemoteGatewayDecider(portal.BaseAddress, TimeSpan.FromSeconds(10));
        Assert.Null(await right.ProbeAsync(CancellationToken.None));
        using var wrong = new RemoteGatewayDecider(new Uri(portal.BaseAddress, "/elsewhere/"), TimeSpan.FromSeconds(10));
        Assert.Contains("gateway.portal_url", await wrong.ProbeAsync(CancellationToken.None), StringComparison.Ordinal);
        // Down is not wrong: the portal may start after the gateway, and requests fail closed meanwhile.
        using var down = new RemoteGatewayDecider(new Uri("http://127.0.0.1:1/"), TimeSpan.FromSeconds(10));
        Assert.Null(await down.ProbeAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Portal_gateway_command_refuses_to_start_when_portal_url_is_not_a_portal()
    {
        await using var portal = await PortalTestHost.StartAsync();
        using var dir = new TempDirectory();
        var port = LoopbackPort.Free();
        File.WriteAllText(dir.File("gateway.yml"), $"""
            gateway:
              address: 'tcp://127.0.0.1:{port}/'
              portal_url: '{portal.BaseAddress}elsewhere/'
              routes:
                - hosts: ['localhost']
                  upstreams: ['http://127.0.0.1:1/']
            """);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await Portal.Cli.GatewayCommand.RunAsync(["--config", dir.File("gateway.yml")], stdout, stderr);
        Assert.Equal(1, exit);
        Assert.Contains("is not a portal's forward-auth endpoint", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Remote_portal_repeating_an_identity_header_fails_closed()
    {
        await using var fake = await FakePortal.StartAsync(200, ("Remote-User", "john"), ("Remote-User", "admin"), (AuthzHandler.DecisionHeader, "forward-auth"));
        using var decider = new RemoteGatewayDecider(fake.BaseAddress, TimeSpan.FromSeconds(10));
        await Assert.ThrowsAsync<PortalUnreachableException>(() => decider.DecideAsync(Question(), CancellationToken.None));
    }

    [Fact]
    public async Task Decider_that_throws_gets_a_503_page_and_forwards_nothing()
    {
        await using var upstream = await EchoUpstream.StartAsync();
        var options = ConfigLoader.LoadYaml($"""
            gateway:
              address: 'tcp://127.0.0.1:0/'
            {GatewayTestHost.Routes(upstream)}
            """).Options;
        await using var gateway = GatewayApp.Build(options, new ThrowingDecider(), null);
        await gateway.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(global::Portal.Infrastructure.PortalApp.BoundAddresses(gateway)[0]) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/boom");
        request.Headers.Host = "localhost";
        // localhost has no route: 404 without asking the decider.
        using (var notFound = await client.SendAsync(request))
        {
            Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
        }
        using var routed = new HttpRequestMessage(HttpMethod.Get, "/boom");
        routed.Headers.Host = "app.example.com";
        using var response = await client.SendAsync(routed);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Empty(upstream.Requests);
    }

    private static GatewayQuestion Question()
    {
        Assert.True(Portal.AccessControl.AccessTarget.TryCreate("https", "app.example.com", "/", "GET", out var target, out _));
        return new GatewayQuestion(target, "https://app.example.com/", "app.example.com", "/", IPAddress.Loopback, new HeaderDictionary(), false);
    }

    private sealed class ThrowingDecider : IGatewayDecider
    {
        public Task<AuthzReply> DecideAsync(GatewayQuestion question, CancellationToken ct) => throw new InvalidOperationException("decider failed");
    }

    /// <summary>A real HTTP server that answers every request with a fixed status and headers.</summary>
    private sealed class FakePortal : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private FakePortal(WebApplication app) => _app = app;

        public Uri BaseAddress => new(global::Portal.Infrastructure.PortalApp.BoundAddresses(_app)[0] + "/");

        public static async Task<FakePortal> StartAsync(int status, params (string Name, string Value)[] headers)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            app.Run(context =>
            {
                context.Response.StatusCode = status;
                foreach (var (name, value) in headers)
                {
                    context.Response.Headers.Append(name, value);
                }
                return Task.CompletedTask;
            });
            await app.StartAsync();
            return new FakePortal(app);
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
