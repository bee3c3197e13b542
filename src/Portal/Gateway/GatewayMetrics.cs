using System.Diagnostics.Metrics;
using Portal.Telemetry;

namespace Portal.Gateway;

/// <summary>The gateway's decisions (by result) and the requests its upstreams failed (by the gateway's answer).</summary>
internal sealed class GatewayMetrics
{
    public const string MeterName = "Portal.Gateway";

    public const string Allowed = "allowed";
    public const string Forbidden = "forbidden";
    public const string Unauthorized = "unauthorized";
    public const string BadRequest = "bad_request";
    public const string PortalUnreachable = "portal_unreachable";
    public const string Unavailable = "unavailable";

    private readonly Counter<long> _decisions;
    private readonly Counter<long> _upstreamErrors;

    public GatewayMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _decisions = meter.CreateCounter<long>("portal_gateway_decision",
            description: "Gateway requests decided, by result (allowed, forbidden, unauthorized, bad_request, unavailable, portal_unreachable)");
        _upstreamErrors = meter.CreateCounter<long>("portal_gateway_upstream_errors",
            description: "Allowed gateway requests whose upstream failed, by the status the gateway answered (502, 504)");
    }

    public void Decided(string result) => _decisions.Add(1, new KeyValuePair<string, object?>("result", result));

    public void UpstreamFailed(int status) => _upstreamErrors.Add(1, new KeyValuePair<string, object?>("code", MetricTags.Code(status)));
}
