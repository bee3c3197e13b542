using Portal.Tests.Support;

namespace Portal.Tests.Proxies;

/// <summary>
/// The portal's own YARP gateway (in-process decisions, as <c>portal serve</c> runs it) as a front for
/// <see cref="ProxyFlowSuite{TFront}"/>. The gateway fronts the apps; the portal's own host, which an admin serves
/// through its TLS terminator, is reached directly with <c>X-Forwarded-Proto: https</c> from loopback.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes fixtures through IAsyncLifetime.DisposeAsync")]
public class GatewayFront : ProxyFront
{
    private GatewayTestHost? _host;

    private GatewayTestHost Host => _host ?? throw new InvalidOperationException("not started");

    internal override PortalTestHost Portal => Host.Portal;

    internal override EchoUpstream Upstream => Host.Upstream;

    public override async Task InitializeAsync() =>
        _host = await StartAsync();

    private protected virtual Task<GatewayTestHost> StartAsync() =>
        GatewayTestHost.StartInProcessAsync(accessControl: ProxyFlowAccessControl.Yaml);

    internal override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.RequestUri is { Host: "auth.example.com" } portalUri)
        {
            request.RequestUri = new Uri(Portal.BaseAddress, portalUri.PathAndQuery);
            request.Headers.Host = "auth.example.com";
            request.Headers.Add("X-Forwarded-Proto", "https");
            return Portal.Client.SendAsync(request);
        }
        return Host.Client.SendAsync(request);
    }

    internal override async Task<RawResponse> SendRawAsync(string sni, string rawRequest) =>
        RawResponse.Parse(await Host.SendExactAsync(sni, rawRequest));

    public override async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}

/// <summary><c>portal gateway</c>: the same gateway asking the portal over <c>/api/authz/forward-auth</c>.</summary>
public sealed class RemoteGatewayFront : GatewayFront
{
    private protected override Task<GatewayTestHost> StartAsync() =>
        GatewayTestHost.StartRemoteAsync(accessControl: ProxyFlowAccessControl.Yaml);
}
