using System.Globalization;
using System.Net;
using Portal.Tests.Gateway;
using Portal.Tests.Support;

namespace Portal.Tests.Telemetry;

/// <summary>The in-process gateway's decisions and upstream failures, scraped from the portal's metrics listener.</summary>
public sealed class GatewayMetricsTests
{
    [Fact]
    public async Task Gateway_decisions_by_result_and_a_dead_upstream_are_counted()
    {
        var port = LoopbackPort.Free();
        await using var host = await GatewayTestHost.StartInProcessAsync(accessControl: GatewayFlowTests.AccessControl,
            extraRoutes: _ => """
                    - hosts: ['public.example.com']
                      path: '/dead'
                      upstreams: ['http://127.0.0.1:1/']
                """,
            extraYaml: $"""

                telemetry:
                  metrics:
                    enabled: true
                    address: 'tcp://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/metrics'
                """);
        var cookie = await host.LoginAsync("john");

        using (var allowed = await host.GetAsync("app.example.com", "/", cookie))
        {
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }
        using (var forbidden = await host.GetAsync("deny.example.com", "/", cookie))
        {
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        }
        using (var anonymous = await host.GetAsync("app.example.com", "/"))
        {
            Assert.Equal(HttpStatusCode.Found, anonymous.StatusCode);
        }
        using (var dead = await host.GetAsync("public.example.com", "/dead/x"))
        {
            Assert.Equal(HttpStatusCode.BadGateway, dead.StatusCode);
        }

        using var client = new HttpClient();
        var text = await client.GetStringAsync(new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/metrics"));
        var samples = PrometheusSample.Parse(text, out var types);
        // The bypassed /dead request was allowed too, then its upstream failed.
        Assert.Equal(2, PrometheusSample.Find(samples, "portal_gateway_decision", ("result", "allowed")));
        Assert.Equal(1, PrometheusSample.Find(samples, "portal_gateway_decision", ("result", "forbidden")));
        Assert.Equal(1, PrometheusSample.Find(samples, "portal_gateway_decision", ("result", "unauthorized")));
        Assert.Equal(1, PrometheusSample.Find(samples, "portal_gateway_upstream_errors", ("code", "502")));
        Assert.Equal("counter", types["portal_gateway_decision"]);
        // The gateway decides in process: the authz endpoints' counter is not moved by it.
        Assert.Equal(0, PrometheusSample.Find(samples, "portal_authz"));
    }
}
